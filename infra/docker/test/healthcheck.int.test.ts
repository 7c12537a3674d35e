// The image's healthcheck against real `spine` processes started with a port flag that the environment does not
// know: it must ask the port each process actually bound.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';
import { freePort, useTestCluster } from '../../../tests/support/cluster.ts';
import { saveSchedules } from '../../../tests/support/schedules.ts';

const HEALTHCHECK = fileURLToPath(new URL('../healthcheck.ts', import.meta.url));
const run = promisify(execFile);
const { pool, cluster } = useTestCluster();
// The container's tmpdir, which the processes and the healthcheck share; the machine's would mix test runs.
const containerTmp = mkdtempSync(join(tmpdir(), 'spine-healthcheck-'));
const children: SpineChild[] = [];
let restoreSchedules: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  // The scheduler's start-up tick enqueues nothing; the calendar is the whole run's, so it is put back after.
  restoreSchedules = await saveSchedules(pool);
  await pool.query('UPDATE core_expected_schedules SET enabled = false');
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  rmSync(containerTmp, { recursive: true, force: true });
  await restoreSchedules();
});

/** Resolves true once the healthcheck (`node healthcheck <role>` in the container's environment) exits 0. */
async function healthy(role: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return run(process.execPath, ['--import', 'tsx', HEALTHCHECK, role], { env }).then(() => true, () => false);
}

describe('the image healthcheck asks the port the process was started with', () => {
  it.each([
    ['worker', '--health-port', 'WORKER_HEALTH_PORT', 'worker started'],
    ['scheduler', '--health-port', 'SCHEDULER_HEALTH_PORT', 'scheduler started'],
    ['dashboard', '--port', 'DASHBOARD_PORT', 'dashboard started'],
  ])('%s %s', async (role, flag, variable, startedMessage) => {
    // The environment names a port nothing listens on; the flag names the one the process binds.
    const env = {
      ...process.env, ...cluster.env, TMPDIR: containerTmp, [variable]: String(await freePort()),
      DASHBOARD_ADMIN_PASSWORD: 'admin-password-healthcheck', SCHEDULER_CRON: '0 0 1 1 *',
    };
    const child = await spawnSpine([role, flag, String(await freePort())], env, { startedMessage });
    children.push(child);
    await expect.poll(() => healthy(role, env), { timeout: 20_000, interval: 250 }).toBe(true);
  });
});
