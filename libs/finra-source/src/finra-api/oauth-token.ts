import * as z from 'zod';
import { readCappedText } from './capped-body.ts';
import { FinraHttpError, FinraResponseError } from './errors.ts';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  // FINRA has been seen sending expires_in as a string.
  expires_in: z.coerce.number().positive(),
});

/** FINRA's token answer is a few hundred bytes of JSON; anything near this is not a token answer. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** A token is renewed this long before it expires (at most a tenth of its life), so none expires in flight. */
const RENEW_BEFORE_EXPIRY_MS = 60_000;

/**
 * OAuth2 client-credentials token cache: one token fetched on first use and reused until shortly before expiry.
 * Concurrent first uses may each fetch a token; sharing one in-flight fetch would tie every caller to the first
 * caller's abort signal.
 */
export class OAuthTokenCache {
  readonly #credentials: ClientCredentials;
  readonly #now: () => number;
  #token: { value: string; renewAt: number } | undefined;

  constructor(credentials: ClientCredentials, now: () => number = Date.now) {
    this.#credentials = credentials;
    this.#now = now;
  }

  async accessToken(signal: AbortSignal): Promise<string> {
    if (this.#token && this.#now() < this.#token.renewAt) return this.#token.value;
    const { value, lifetimeMs } = await this.#fetchToken(signal);
    this.#token = { value, renewAt: this.#now() + lifetimeMs - Math.min(RENEW_BEFORE_EXPIRY_MS, lifetimeMs / 10) };
    return value;
  }

  /** Forgets the cached token, e.g. after the API rejected it with 401. */
  invalidate(): void {
    this.#token = undefined;
  }

  async #fetchToken(signal: AbortSignal): Promise<{ value: string; lifetimeMs: number }> {
    const { tokenUrl, clientId, clientSecret } = this.#credentials;
    // FINRA's documented form ("API Platform Basics"): grant_type in the query string, the client as HTTP Basic.
    const url = new URL(tokenUrl);
    url.searchParams.set('grant_type', 'client_credentials');
    const response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, Accept: 'application/json' },
      signal,
    });
    const text = await readCappedText(response, tokenUrl, MAX_TOKEN_RESPONSE_BYTES, 'the token answer cap');
    if (!response.ok) throw new FinraHttpError(tokenUrl, response.status, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new FinraResponseError(tokenUrl, `token response is not valid JSON (${text.length} chars)`, true, { cause });
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) throw new FinraResponseError(tokenUrl, `token response lacks access_token/expires_in: ${z.prettifyError(parsed.error)}`, false);
    return { value: parsed.data.access_token, lifetimeMs: parsed.data.expires_in * 1000 };
  }
}
