import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { ADMIN, formSignIn, startTestDashboard } from '../support/dashboard.ts';

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
});
