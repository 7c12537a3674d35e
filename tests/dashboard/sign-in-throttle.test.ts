import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { ADMIN, VIEWER, basicGet, formSignIn, startTestDashboard } from '../support/dashboard.ts';

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

  it('refuses a client that keeps guessing one user name, and only for that name', async () => {
    dashboard = await startTestDashboard({ DASHBOARD_LOGIN_FAILURES_PER_USER_IP: '3' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await formSignIn(dashboard.url, WRONG, '10.7.5.1')).status);
    expect(statuses).toEqual([401, 401, 429]);
    expect((await formSignIn(dashboard.url, ADMIN, '10.7.5.1')).status).toBe(429);
    expect((await basicGet(`${dashboard.url}/api/lag`, ADMIN, '10.7.5.1')).status).toBe(429);
    expect((await formSignIn(dashboard.url, VIEWER, '10.7.5.1')).status).toBe(303);
    expect((await formSignIn(dashboard.url, ADMIN, '10.7.5.2')).status).toBe(303);
  });

  it('slows sign-ins as a user guessed at from many addresses down, but lets the right password in from anywhere', async () => {
    dashboard = await startTestDashboard({ DASHBOARD_LOGIN_FAILURES_PER_USER: '3', DASHBOARD_LOGIN_SLOWDOWN_MAX_SECONDS: '1' });
    const { url } = dashboard;
    const earlier = await formSignIn(url, ADMIN, '10.7.6.100');
    expect(earlier.status).toBe(303);
    // Six guesses from six addresses: each address is far from its own limit.
    for (let i = 1; i <= 6; i++) expect((await formSignIn(url, WRONG, `10.7.6.${i}`)).status).toBe(401);

    const started = performance.now();
    const signIn = formSignIn(url, ADMIN, '10.7.7.1');
    // The wait is a timer: the dashboard answers others meanwhile.
    const livez = performance.now();
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    expect(performance.now() - livez).toBeLessThan(500);
    expect((await signIn).status).toBe(303);
    // Three failures past the count: 0.25 s doubled three times, capped at 1 s.
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect((await basicGet(`${url}/api/lag`, ADMIN, '10.7.7.2')).status).toBe(200);

    // A session from before is not slowed down.
    const session = performance.now();
    expect((await fetch(`${url}/api/lag`, { headers: { cookie: earlier.cookie } })).status).toBe(200);
    expect(performance.now() - session).toBeLessThan(500);
  });
});
