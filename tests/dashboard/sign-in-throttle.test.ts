import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { ADMIN, basicGet, formSignIn, startTestDashboard } from '../support/dashboard.ts';

// Counts the passwords the login form checks (the form calls checkPassword from auth.ts).
const checked = vi.hoisted(() => ({ passwords: 0 }));
vi.mock('../../apps/dashboard/src/auth.ts', async (importOriginal) => {
  const auth = await importOriginal<typeof import('../../apps/dashboard/src/auth.ts')>();
  return {
    ...auth,
    checkPassword: (...args: Parameters<typeof auth.checkPassword>) => {
      checked.passwords++;
      return auth.checkPassword(...args);
    },
  };
});

const WRONG = { user: ADMIN.user, password: 'not-the-password' };
const guess = (user: string) => ({ user, password: 'not-the-password' });

/**
 * `count` wrong sign-ins from one address arriving together: every connection is opened first (the requests would
 * otherwise trickle in as each connection is made), then each sends its sign-in.
 */
async function signInBurst(url: string, count: number, ip: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  const send = (method: string, path: string, body = '') => new Promise<number>((resolve, reject) => {
    const req = request(`${url}${path}`, { agent, method, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
  try {
    await Promise.all(Array.from({ length: count }, () => send('GET', '/livez')));
    const body = new URLSearchParams(WRONG).toString();
    return await Promise.all(Array.from({ length: count }, () => send('POST', '/login', body)));
  } finally {
    agent.destroy();
  }
}

let dashboard: DashboardHandle | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

describe('sign-in throttling', () => {
  it('keeps counting a client\'s failures when another client signs in as the same user', async () => {
    dashboard = await startTestDashboard({ DASHBOARD_LOGIN_FAILURES_PER_USER: '5', DASHBOARD_LOGIN_FAILURES_PER_USER_IP: '5' });
    for (let i = 0; i < 4; i++) expect((await formSignIn(dashboard.url, WRONG, '10.7.0.1')).status).toBe(401);
    // A script polling with the right password, from elsewhere.
    expect((await basicGet(`${dashboard.url}/api/lag`, ADMIN, '10.7.0.2')).status).toBe(200);
    const fifth = await formSignIn(dashboard.url, WRONG, '10.7.0.1');
    expect(fifth.status).toBe(429);
    expect(fifth.retryAfter).toBeGreaterThan(0);
  });

  it('counts the addresses of one IPv6 /64 as one client, and an IPv4-mapped address as its IPv4 address', async () => {
    dashboard = await startTestDashboard({ DASHBOARD_LOGIN_FAILURES_PER_IP: '3' });
    expect((await formSignIn(dashboard.url, guess('guess0'), '2001:db8:7:1::a')).status).toBe(401);
    expect((await formSignIn(dashboard.url, guess('guess1'), '2001:db8:7:1:ffff:ffff:ffff:ffff')).status).toBe(401);
    expect((await formSignIn(dashboard.url, guess('guess2'), '2001:0db8:0007:0001:0:0:0:3')).status).toBe(429);
    expect((await formSignIn(dashboard.url, ADMIN, '2001:db8:7:1::4')).status).toBe(429);
    expect((await formSignIn(dashboard.url, ADMIN, '2001:db8:7:2::4')).status).toBe(303);

    expect((await formSignIn(dashboard.url, guess('guess0'), '10.7.1.1')).status).toBe(401);
    expect((await formSignIn(dashboard.url, guess('guess1'), '::ffff:10.7.1.1')).status).toBe(401);
    expect((await formSignIn(dashboard.url, guess('guess2'), '::ffff:a07:101')).status).toBe(429);
  });

  it('checks no more passwords than the limit, however many sign-ins arrive at once', async () => {
    dashboard = await startTestDashboard({ DASHBOARD_LOGIN_FAILURES_PER_USER: '5', DASHBOARD_LOGIN_FAILURES_PER_USER_IP: '5' });
    checked.passwords = 0;
    const statuses = await signInBurst(dashboard.url, 200, '10.7.2.1');
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    expect(checked.passwords).toBeGreaterThan(0);
    expect(checked.passwords).toBeLessThanOrEqual(5);
  });
});
