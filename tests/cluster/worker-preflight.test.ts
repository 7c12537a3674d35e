import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDatabaseUrl } from '../support/database.ts';
import { TestCluster } from '../support/cluster.ts';
import { runSpine } from '../support/spine-cli.ts';
import { spawnWorker } from '@spine/cli/spawn-spine';

const cluster = new TestCluster();
const started = cluster.start();
afterAll(() => cluster.stop());

/** A worker process as an operator starts it; one that passes its checks is stopped at once (SIGTERM, exit 0). */
async function startWorker(env: Record<string, string>, unset: string[] = []) {
  await started;
  return runSpine(['worker', '--health-port', '0'], { ...cluster.env, ...env }, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', ...unset]);
}

describe('a worker\'s checks before it takes a job', () => {
  it('refuses to start without S3 credentials, naming the settings, instead of failing every fetch as a data error', async () => {
    const run = await startWorker({}, ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid configuration:\n {2}S3 bucket "[\w-]+": no S3 credentials \(Could not load credentials from any providers\); check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
  });

  it('refuses a bucket S3 does not have, and credentials S3 refuses', async () => {
    const bucket = await startWorker({ S3_BUCKET: 'no-such-bucket' });
    expect(bucket.code).toBe(2);
    expect(bucket.stderr).toContain('S3 has no bucket "no-such-bucket"; check S3_BUCKET');
    const refused = await startWorker({ S3_ACCESS_KEY_ID: 'WRONG', S3_SECRET_ACCESS_KEY: 'WRONG' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY and their rights on the bucket');
  });

  it('refuses a database without this release\'s migrations, saying to run spine db migrate', async () => {
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    const name = `spine_preflight_${process.pid}_${Date.now().toString(36)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(testDatabaseUrl());
      url.pathname = `/${name}`;
      const run = await startWorker({ DATABASE_URL: url.toString() });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/DATABASE_URL: the database lacks \d+ migration\(s\) of this release \(1700000000000_core, .*\): run spine db migrate/);
      // The datasets' own migrations (libs/otc/migrations, libs/regsho/migrations) count, in the one order by name.
      expect(run.stderr).toMatch(/\(1700000000000_core, 1700000000100_otc, 1700000000200_schedules, .*, 1700000001120_regsho_as_of, 1700000001200_schedule_period_kind, 1700000001290_regsho_as_of_body, 1700000001300_generic_partition_columns, 1700000001400_otc_week_venues\)/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('starts when FINRA does not answer, and says at once which setting points there', async () => {
    await started;
    const worker = await spawnWorker({ ...process.env, ...cluster.env, FINRA_BASE_URL: 'http://127.0.0.1:1' }, ['--queues', 'fetch']);
    try {
      await expect.poll(() => worker.output(), { timeout: 15_000 }).toMatch(/FINRA did not answer at start: .*check FINRA_BASE_URL \(now http:\/\/127\.0\.0\.1:1\)/);
    } finally {
      await worker.stop();
    }
  });
});
