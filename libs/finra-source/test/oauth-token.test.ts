import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FinraResponseError } from '../src/finra-api/errors.ts';
import { MAX_TOKEN_RESPONSE_BYTES, OAuthTokenCache } from '../src/finra-api/oauth-token.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A token endpoint answering a valid token padded to `bytes`, with or without a Content-Length. */
async function tokenEndpoint(bytes: number, declareLength: boolean): Promise<{ url: string; sent: () => number }> {
  const head = '{"access_token":"t","expires_in":3600,"pad":"';
  const body = Buffer.from(`${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`);
  let sent = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', ...(declareLength ? { 'Content-Length': body.length } : {}) });
    // In pieces, so a client that stops reading stops the sending.
    const write = (at: number): void => {
      if (at >= body.length || res.destroyed) return void res.end();
      sent = at + 64 * 1024;
      if (res.write(body.subarray(at, sent))) setImmediate(() => write(sent));
      else res.once('drain', () => write(sent));
    };
    write(0);
  });
  server.on('clientError', () => {});
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`, sent: () => sent };
}

describe('OAuthTokenCache', () => {
  it('takes a token answer within the cap', async () => {
    const { url } = await tokenEndpoint(1000, false);
    await expect(new OAuthTokenCache({ tokenUrl: url, clientId: 'c', clientSecret: 's' }).accessToken(AbortSignal.timeout(5000))).resolves.toBe('t');
  });

  it.each([true, false])('refuses a token answer past the cap (Content-Length declared: %s), not retryable', async (declareLength) => {
    const { url, sent } = await tokenEndpoint(64 * 1024 * 1024, declareLength);
    const error = await new OAuthTokenCache({ tokenUrl: url, clientId: 'c', clientSecret: 's' }).accessToken(AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraResponseError);
    expect((error as Error).message).toContain(`exceeds the ${MAX_TOKEN_RESPONSE_BYTES}-byte cap (the token answer cap)`);
    expect(error).toMatchObject({ retryable: false });
    expect(sent()).toBeLessThan(16 * 1024 * 1024);
  });
});
