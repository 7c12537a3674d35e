import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnSpine } from '@spine/cli/spawn-spine';
import { testDatabaseUrl } from '../support/database.ts';

const run = promisify(execFile);
const SPINE = fileURLToPath(new URL('../../libs/cli/bin/spine.mjs', import.meta.url));
const SECRET = 'PLANTED_SECRET_7f3a';

async function spine(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SPINE, ...args], { env: { ...process.env, LOG_LEVEL: 'debug', ...env }, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('secrets never reach stdout or stderr', () => {
  it.each([
    ['an unreachable database', ['status'], { DATABASE_URL: `postgres://u:${SECRET}@127.0.0.1:1/x` }, /ECONNREFUSED/],
    ['a database URL that is not a URL', ['status'], { DATABASE_URL: `postgres://u:${SECRET}@127.0.0.1:port/x` }, /DATABASE_URL: must be a URL/],
    ['a database URL of another scheme', ['status'], { DATABASE_URL: `mysql://u:${SECRET}@127.0.0.1/x` }, /DATABASE_URL: .*mysql:\/\/u:\*\*\*@127\.0\.0\.1\/x/],
    ['a Redis URL that is not a URL', ['lag'], { REDIS_URL: `redis://u:${SECRET}@127.0.0.1:port` }, /REDIS_URL: must be a URL/],
    ['a backfill naming a source outside the allow-list', ['backfill', '--tier', 'OTC', '--from', '2025-12-05', '--to', '2025-12-05', '--source', 'dir:/etc'],
      { DATABASE_URL: testDatabaseUrl(), REDIS_URL: `redis://u:${SECRET}@127.0.0.1:1`, SOURCE_DIR_ALLOWLIST: '/data/finra' },
      /source: directory \/etc is not under SOURCE_DIR_ALLOWLIST \(\/data\/finra\)/],
  ])('with %s', async (_name, args, env, expected) => {
    const { code, output } = await spine(args, env);
    expect(code).not.toBe(0);
    expect(output).toMatch(expected);
    expect(output).not.toContain(SECRET);
  });

  it('in the dashboard log and its /readyz, which names the dependency that is down', async () => {
    const dashboard = await spawnSpine(['dashboard', '--port', '0'], {
      ...process.env, DATABASE_URL: `postgres://u:${SECRET}@127.0.0.1:1/x`, DASHBOARD_ADMIN_PASSWORD: `admin-${SECRET}`,
      ALERT_WEBHOOK_URL: `https://hooks.example/services/${SECRET}`,
    }, { startedMessage: 'dashboard started' });
    try {
      const url = /"url":"(http:[^"]+)"/.exec(dashboard.output())![1]!;
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toBe('not ready: postgres unavailable\n');
      const auth = Buffer.from(`admin:admin-${SECRET}`).toString('base64');
      const api = await fetch(`${url}/api/lag`, { headers: { authorization: `Basic ${auth}` } });
      expect(api.status).toBe(500);
      expect(await api.text()).not.toContain(SECRET);
      await expect.poll(() => dashboard.output()).toContain('readiness check failed');
    } finally {
      await dashboard.stop();
    }
    expect(dashboard.output()).toContain('ECONNREFUSED');
    expect(dashboard.output()).not.toContain(SECRET);
  });
});
