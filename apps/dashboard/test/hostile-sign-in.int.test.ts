import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';

// The sign-in form's user name is the one text an anonymous client can make the dashboard log.
const HOSTILE_USER = `${'a.'.repeat(31_000)}a`;
const PROBE_BUDGET_MS = 1_000;

let dashboard: SpineChild;
let url: string;

beforeAll(async () => {
  dashboard = await spawnSpine(['dashboard', '--port', '0'], {
    ...process.env,
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-${inject('testRunId')}-${Math.random().toString(36).slice(2, 8)}`,
    DASHBOARD_HOST: '127.0.0.1',
    DASHBOARD_ADMIN_PASSWORD: 'admin-password-1',
  }, { startedMessage: 'dashboard started' });
  url = /"url":"(http:[^"]+)"/.exec(dashboard.output())![1]!;
});

afterAll(async () => {
  await dashboard?.stop();
});

async function timed<T>(request: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await request();
  return { ms: performance.now() - started, result };
}

describe('a sign-in with a hostile user name', () => {
  it('is answered quickly, and /livez keeps answering meanwhile', async () => {
    const signIn = timed(() => fetch(`${url}/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: HOSTILE_USER, password: 'not-the-password' }),
    }).then(async (res) => { await res.arrayBuffer(); return res.status; }));
    let answered = false;
    void signIn.then(() => { answered = true; });
    const probes: number[] = [];
    while (!answered) {
      const probe = await timed(() => fetch(`${url}/livez`).then((res) => res.text()));
      expect(probe.result).toBe('ok\n');
      probes.push(probe.ms);
    }
    const { ms, result: status } = await signIn;
    expect([401, 429]).toContain(status);
    expect(ms).toBeLessThan(PROBE_BUDGET_MS);
    expect(Math.max(...probes)).toBeLessThan(PROBE_BUDGET_MS);
  });

  it('is logged cut short, with its length, on the form and with basic auth', async () => {
    await fetch(`${url}/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: HOSTILE_USER, password: 'not-the-password' }),
    }).then((res) => res.arrayBuffer());
    // Node refuses request headers over 16 KB, so the basic-auth user name is shorter.
    const basicUser = HOSTILE_USER.slice(0, 8_001);
    const authorization = `Basic ${Buffer.from(`${basicUser}:not-the-password`).toString('base64')}`;
    expect((await fetch(`${url}/api/lag`, { headers: { authorization } })).status).toBe(401);
    await expect.poll(() => dashboard.output().split('\n').filter((line) => line.includes('"failed sign-in"')).length).toBeGreaterThanOrEqual(2);
    const failures = dashboard.output().split('\n').filter((line) => line.includes('"failed sign-in"'));
    expect(failures.some((line) => line.includes(`(${HOSTILE_USER.length} characters)`))).toBe(true);
    expect(failures.some((line) => line.includes(`(${basicUser.length} characters)`))).toBe(true);
    for (const line of failures) expect(line.length).toBeLessThan(1_000);
  });

  it('in a malformed JSON body is logged by the kind of error and its length, not the password in it', async () => {
    const body = `{"user":"admin","password":"typed-password-7Qx"${' '.repeat(60_000)}`;
    const res = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    await expect.poll(() => dashboard.output()).toContain(`"kind":"entity.parse.failed","bodyLength":${body.length}`);
    expect(dashboard.output()).not.toContain('typed-password-7Qx');
  });
});
