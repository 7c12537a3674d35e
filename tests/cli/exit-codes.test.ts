import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { OTC_CODEC } from '@spine/otc/partition-codec';
import { testDatabaseUrl, testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { writeWeekFile } from '../support/week-files.ts';
import { runSpine, type SpineRun } from '../support/spine-cli.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(() => resetData(pool));

/** The CLI as a user runs it; the gate and the admin password come from the defaults unless a test sets them. */
function spine(args: string[], env: Record<string, string> = {}): Promise<SpineRun> {
  return runSpine(args, { DATABASE_URL: testDatabaseUrl(), ...env }, ['QUALITY_MAX_REJECT_SHARE', 'DASHBOARD_ADMIN_PASSWORD'].filter((k) => !(k in env)));
}

const W = '2025-12-12';
const good = (i: number) => `NMS Tier 1|S${String.fromCharCode(65 + i)}|Issue ${i}|Venue NITE|NITE|${100 + i}|${1 + i}|2025-12-29`;
const negativeVolume = 'NMS Tier 1|NEG|Issue neg|Venue NITE|NITE|-5|1|2025-12-29';
/** 20 data lines, exactly one rejected: a reject share of exactly 5%, the default gate. */
const ONE_IN_TWENTY = [...Array.from({ length: 19 }, (_, i) => good(i)), negativeVolume];
const runWeek = (file: string, extra: string[] = []) => ['run-week', '--tier', 'NMS_TIER_1', '--week', W, '--file', file, ...extra];

describe('exit codes of spine run-week', () => {
  it('passes a week whose reject share equals the default gate (5%): the gate stops only above it', async () => {
    const result = await spine(runWeek(writeWeekFile(ONE_IN_TWENTY)));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`NMS_TIER_1 ATS ${W}: completed`);
    expect(await count(pool, `SELECT 1 FROM core_manifest WHERE stage = 'snapshot' AND status = 'completed'`)).toBe(1);
  });

  it('exits 3 for a week the gate stops, with the gate read from QUALITY_MAX_REJECT_SHARE', async () => {
    // Just under 1/20: the same file as above is now over the gate.
    const result = await spine(runWeek(writeWeekFile(ONE_IN_TWENTY)), { QUALITY_MAX_REJECT_SHARE: '0.0499' });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain(`NMS_TIER_1 ATS ${W}: gated`);
    const anomaly = (await pool.query(`SELECT message FROM core_anomalies WHERE category = 'QUALITY_GATE'`)).rows;
    expect(anomaly).toEqual([{ message: expect.stringContaining('1 of 20 lines rejected (5.00% > 4.99%)') }]);
    expect(await count(pool, 'SELECT 1 FROM otc_venue_volume')).toBe(0);
  });

  it('lets --max-reject-share override the environment', async () => {
    const result = await spine(runWeek(writeWeekFile(ONE_IN_TWENTY), ['--max-reject-share', '0.05']), { QUALITY_MAX_REJECT_SHARE: '0.01' });
    expect(result.code, result.stderr).toBe(0);
  });

  it('exits 1 with one error line when a stage fails while running (its week lock not granted in time)', async () => {
    // Another session holds the ingest stage's week lock; lock_timeout (set for the CLI's connections through
    // libpq's PGOPTIONS) turns the wait into a real stage failure instead of a hang.
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [OTC_CODEC.lockName({ domain: 'otc', key1: 'NMS_TIER_1', key2: 'ATS', periodEnd: W }, 'partition')]);
      const result = await spine(runWeek(writeWeekFile(ONE_IN_TWENTY)), { PGOPTIONS: '-c lock_timeout=300' });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: stage ingest failed for NMS_TIER_1 ATS 2025-12-12: .*lock timeout/)]);
      const failed = (await pool.query(`SELECT stage, status FROM core_executions WHERE stage = 'ingest'`)).rows;
      expect(failed).toEqual([{ stage: 'ingest', status: 'failed' }]);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });
});

describe('exit code of spine dashboard', () => {
  it('refuses to start without DASHBOARD_ADMIN_PASSWORD: exit 2, one line saying what to set', async () => {
    const result = await spine(['dashboard', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('error: set DASHBOARD_ADMIN_PASSWORD (and DASHBOARD_VIEWER_PASSWORD for a read-only user) before starting the dashboard');
  });
});
