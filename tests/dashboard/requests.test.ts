import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { ADMIN, basicGet, formSignIn, startTestDashboard } from '../support/dashboard.ts';

let dashboard: DashboardHandle;
beforeAll(async () => {
  dashboard = await startTestDashboard();
});
afterAll(async () => {
  await dashboard?.close();
});

describe('dashboard requests', () => {
  it('takes a signed-in change only from its own origin: scheme, host and port', async () => {
    const { url } = dashboard;
    const { host } = new URL(url);
    const { cookie } = await formSignIn(url, ADMIN);
    // A range that is backwards: a request the CSRF check lets through is answered 400 and enqueues nothing.
    const body = JSON.stringify({ tier: 'OTC', from: '2025-12-12', to: '2025-11-28' });
    const post = (headers: Record<string, string>) => fetch(`${url}/api/backfill`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    expect((await post({ cookie, origin: `https://${host}` })).status).toBe(403);
    expect((await post({ cookie, referer: `https://${host}/batches` })).status).toBe(403);
    expect((await post({ cookie, origin: `http://127.0.0.1:1` })).status).toBe(403);
    expect((await post({ cookie, origin: url })).status).toBe(400);
    expect((await post({ cookie, referer: `${url}/batches` })).status).toBe(400);
    // Behind a trusted proxy that took the browser's HTTPS: the https origin is this one, the http one is not.
    expect((await post({ cookie, origin: `https://${host}`, 'x-forwarded-proto': 'https' })).status).toBe(400);
    expect((await post({ cookie, origin: url, 'x-forwarded-proto': 'https' })).status).toBe(403);

    const authorization = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;
    const foreign = await post({ authorization, origin: `https://${host}` });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: 'cross-site request refused' });
  });

  it('answers /coverage with a bad weeks 400 and what is wrong, in one line', async () => {
    for (const weeks of ['-5', '0.5', '0', '261', 'many']) {
      const res = await basicGet(`${dashboard.url}/coverage?weeks=${weeks}`, ADMIN);
      expect(res.status, weeks).toBe(400);
      const error = /<p class="error">([^<]*)<\/p>/.exec(await res.text())?.[1];
      expect(error, weeks).toMatch(/^weeks: [^\n]+$/);
    }
    expect((await basicGet(`${dashboard.url}/coverage?weeks=3`, ADMIN)).status).toBe(200);
    expect((await basicGet(`${dashboard.url}/coverage`, ADMIN)).status).toBe(200);
  });
});
