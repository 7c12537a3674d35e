import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDatabaseUrl, testPool, resetData } from '../support/database.ts';
import { saveSchedules } from '../support/schedules.ts';
import { GOLDEN_DIR } from '../support/golden.ts';

const run = promisify(execFile);
const SPINE = fileURLToPath(new URL('../../libs/cli/bin/spine.mjs', import.meta.url));
const pool = testPool();
let restoreSchedules = async () => {};

async function spine(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [SPINE, ...args], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), QUEUE_PREFIX: `test-cli-${inject('testRunId')}`, LOG_LEVEL: 'warn', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await resetData(pool);
  restoreSchedules = await saveSchedules(pool);
  await pool.query(`UPDATE core_expected_schedules SET enabled = (key_2 = 'ATS'), lookback_weeks = 2`);
});
afterAll(async () => {
  await restoreSchedules();
  await pool.end();
});

describe('scheduler commands', () => {
  it('tick --dry-run --now reports what it would enqueue, as JSON, and writes nothing', async () => {
    const result = await spine(['scheduler', 'tick', '--now', '2025-12-29T15:00:00Z', '--dry-run', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const tick = JSON.parse(result.stdout);
    expect(tick.dry_run).toBe(true);
    expect(tick.enqueued).toEqual(expect.arrayContaining([
      { tier: 'NMS_TIER_1', venue_type: 'ATS', week_ending: '2025-12-12', reason: 'missing' },
      { tier: 'NMS_TIER_1', venue_type: 'ATS', week_ending: '2025-12-05', reason: 'missing' },
      { tier: 'OTC', venue_type: 'ATS', week_ending: '2025-11-28', reason: 'missing' },
      { tier: 'NMS_TIER_2', venue_type: 'ATS', week_ending: '2025-11-21', reason: 'missing' },
    ]));
    expect(tick.enqueued).toHaveLength(6);
    expect(tick.alerts.map((a: { change: string; week_ending: string }) => `${a.change} ${a.week_ending}`)).toContain('opened 2025-11-21');
    const written = await pool.query(`SELECT (SELECT count(*) FROM core_anomalies)::int AS a, (SELECT count(*) FROM core_batches)::int AS b, (SELECT count(*) FROM core_data_readiness)::int AS r`);
    expect(written.rows[0]).toEqual({ a: 0, b: 0, r: 0 });
  });

  it('rejects a --now that is not a timestamp with exit code 2', async () => {
    const result = await spine(['scheduler', 'tick', '--now', 'next monday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--now must be an ISO timestamp/);
  });

  it('lists, changes, disables and enables schedules; shows lag', async () => {
    // OTC's weekly schedules (other datasets' have tests of their own): both venue types of each tier, on the tier's calendar.
    const list = JSON.parse((await spine(['schedules', 'list', '--json'])).stdout).filter((s: { domain: string }) => s.domain === 'otc');
    expect(list.map((s: { tier: string; venue_type: string; publication_lag_weeks: number }) => `${s.tier} ${s.venue_type}:${s.publication_lag_weeks}`)).toEqual([
      'NMS_TIER_1 ATS:2', 'NMS_TIER_1 NON_ATS:2', 'NMS_TIER_2 ATS:4', 'NMS_TIER_2 NON_ATS:4', 'OTC ATS:4', 'OTC NON_ATS:4',
    ]);
    const id = String(list[0].schedule_id);
    const set = JSON.parse((await spine(['schedules', 'set', id, 'tolerance_hours=36', 'expected_time=10:30', '--json'])).stdout);
    expect(set).toMatchObject({ tolerance_hours: 36, expected_time: '10:30' });
    expect((await spine(['schedules', 'set', id, 'colour=blue'])).code).toBe(2);
    expect((await spine(['schedules', 'set', id, 'expected_time=25:99'])).code).toBe(2);
    expect(JSON.parse((await spine(['schedules', 'disable', id, '--json'])).stdout).enabled).toBe(false);
    const otcSchedules = new Set(list.map((s: { schedule_id: number }) => s.schedule_id));
    const lag = JSON.parse((await spine(['lag', '--json'])).stdout).filter((l: { schedule_id: number }) => otcSchedules.has(l.schedule_id));
    expect(lag.map((l: { tier: string; venue_type: string }) => `${l.tier} ${l.venue_type}`)).toEqual(['NMS_TIER_2 ATS', 'OTC ATS']);
    // As text: the source's lateness apart from ours, in days and hours, and each missing partition on demand.
    const text = await spine(['lag']);
    expect(text.stdout).toMatch(/not published \(source late\)/);
    expect(text.stdout).toMatch(/not loaded \(ours\)/);
    expect(text.stdout).toMatch(/otc\s*│\s*OTC ATS\s*│/);
    expect(text.stdout).not.toMatch(/NMS_TIER_1/);
    expect(text.stdout).toMatch(/\d+, oldest \d{4}-\d{2}-\d{2}, \d+ d \d+ h late/);
    const missing = await spine(['lag', '--missing']);
    expect(missing.code).toBe(0);
    const rows = missing.stdout.split('\n').filter((l) => /│ \d{4}-\d{2}-\d{2} /.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/│ (\d+ d )?\d+ h\s*│ (the source \(not published\)|ours \(\w+\))/);
    expect(JSON.parse((await spine(['schedules', 'enable', id, '--json'])).stdout).enabled).toBe(true);
    await spine(['schedules', 'set', id, 'tolerance_hours=24', 'expected_time=09:00']);
    expect((await spine(['schedules', 'enable', '999'])).code).toBe(2);
  });

  it('refuses to set a source the allow-lists do not allow: exit 2, one line, the row unchanged', async () => {
    const id = (await pool.query(`SELECT schedule_id FROM core_expected_schedules ORDER BY schedule_id LIMIT 1`)).rows[0].schedule_id;
    const source = async () => (await pool.query(`SELECT source FROM core_expected_schedules WHERE schedule_id = $1`, [id])).rows[0].source;
    const before = await source();
    const allow = { SOURCE_DIR_ALLOWLIST: GOLDEN_DIR, SOURCE_S3_BUCKET_ALLOWLIST: '' };
    const refused: [string, string][] = [
      ['dir:/tmp/outside', `directory /tmp/outside is not under SOURCE_DIR_ALLOWLIST (${GOLDEN_DIR})`],
      [`dir:${GOLDEN_DIR}/../..`, 'is not under SOURCE_DIR_ALLOWLIST'],
      ['s3:finra-drops/weeks', 's3: sources are disabled (set SOURCE_S3_BUCKET_ALLOWLIST'],
      ['ftp://example.com/weeks', 'Invalid source "ftp://example.com/weeks": expected finra | dir:<path> | s3:<bucket>/<prefix>'],
    ];
    for (const [spec, message] of refused) {
      const result = await spine(['schedules', 'set', String(id), `source=${spec}`, 'lookback_weeks=3'], allow);
      expect(result.code, spec).toBe(2);
      expect(result.stderr.trim().split('\n'), spec).toEqual([expect.stringContaining(message)]);
    }
    expect(await source()).toBe(before);

    const allowed = await spine(['schedules', 'set', String(id), `source=dir:${GOLDEN_DIR}`, '--json'], allow);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout).source).toBe(`dir:${GOLDEN_DIR}`);
  });

  it('stores a relative dir: source resolved against the working directory it was given in', async () => {
    const id = String((await pool.query(`SELECT schedule_id FROM core_expected_schedules ORDER BY schedule_id LIMIT 1`)).rows[0].schedule_id);
    const result = await spine(['schedules', 'set', id, `source=dir:${relative(process.cwd(), GOLDEN_DIR)}`, '--json'], { SOURCE_DIR_ALLOWLIST: GOLDEN_DIR });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).source).toBe(`dir:${GOLDEN_DIR}`);
  });

  it.each(['constructor', '__proto__', 'toString'])('refuses %s=1, a name every object answers to, as no column: exit 2, one line', async (name) => {
    const result = await spine(['schedules', 'set', '1', `${name}=1`]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(`"${name}=1" is not column=value with a column among expected_day_of_week,`)]);
  });
});
