import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';
import type { Tier } from '@spine/otc';
import { writeDailyFiles } from '@spine/regsho-synthetic';
import { resetData, testPool } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { TestCluster } from '../support/cluster.ts';
import { saveSchedules } from '../support/schedules.ts';
import { promtoolCheckMetrics, promtoolPath, sampleValue } from '../support/prometheus.ts';

const pool = testPool();
const cluster = new TestCluster();
const emptyFixtures = mkdtempSync(join(tmpdir(), 'spine-metrics-finra-'));
// Reg SHO daily files (a dir: source) for the second dataset's series.
const dailyFiles = mkdtempSync(join(tmpdir(), 'spine-metrics-regsho-'));
const TRADE_DATES = ['2025-01-07', '2025-01-08', '2025-01-10'];
let standIn: FinraStandIn;
let restoreSchedules = async () => {};
const promtool = promtoolPath();

beforeAll(async () => {
  // One fetch attempt, so the week with no file fails for good at once.
  await writeDailyFiles({ dir: dailyFiles, days: TRADE_DATES, symbols: 40, seed: 3, markets: ['N', 'Q'] });
  await cluster.start({ FETCH_ATTEMPTS: '1', SOURCE_DIR_ALLOWLIST: `${GOLDEN_DIR},${dailyFiles}` });
  await resetData(pool);
  restoreSchedules = await saveSchedules(pool);
  standIn = await startFinraStandIn({ fixturesDir: emptyFixtures, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await restoreSchedules();
  await cluster.stop();
  await standIn?.close();
  rmSync(emptyFixtures, { recursive: true, force: true });
  rmSync(dailyFiles, { recursive: true, force: true });
  await pool.end();
});

function healthPort(child: SpineChild): number {
  const match = /"healthPort":(\d+)/.exec(child.output());
  if (!match) throw new Error(`no health port in the log:\n${child.output()}`);
  return Number(match[1]);
}

const OTC_ATS = { dataset: 'otc', partition: 'OTC ATS', tier: 'OTC', venue_type: 'ATS' };
/** A scheduler ticking every second against the cluster, asking the stand-in what FINRA published. */
const startScheduler = (env: Record<string, string> = {}) => spawnSpine(['scheduler'], {
  ...process.env, ...cluster.env, SCHEDULER_CRON: '* * * * * *', SCHEDULER_HEALTH_PORT: '0', FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl, ...env,
}, { startedMessage: 'scheduler started' });
const scrape = async (child: SpineChild) => (await fetch(`http://127.0.0.1:${healthPort(child)}/metrics`)).text();

function expectPromtoolAccepts(text: string): void {
  if (!promtool) {
    // Not a pass: say so. CI installs it; locally `apt-get install -y prometheus` as root.
    console.warn('promtool not on PATH (apt-get install -y prometheus): the exposition was not checked by Prometheus');
    return;
  }
  const check = promtoolCheckMetrics(promtool, text);
  // Exit 1 is a parse error; 3 means it parsed and only the linter objected, to these names alone.
  expect(check.status, check.output).toBeOneOf([0, 3]);
  expect(check.output.split('\n').filter(Boolean).filter((l) => !KNOWN_LINT.some((k) => l.startsWith(k)))).toEqual([]);
}

/**
 * What promtool's linter says about names that stay as they are: prom-client's own Node gauges end in _total, and
 * spine_missing_weeks counts weeks (a count, not a duration; alerts and dashboards use the name).
 */
const KNOWN_LINT = [
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
  'spine_missing_weeks use base unit "seconds" instead of "weeks"',
];

describe('/metrics after real work', () => {
  it('the worker counts the jobs it finished by queue and outcome, and the rows each stage wrote', async () => {
    const worker = await cluster.spawnWorker(['--queues', 'fetch,stage']);
    const source = `dir:${GOLDEN_DIR}`;
    // One week, one flow: fetch on the fetch queue, then ingest, normalize, aggregate, rolling, snapshot on the stage queue.
    const good = await cluster.enqueue(pool, { kind: 'backfill', weeks: [{ tier: 'OTC', week_ending: '2025-12-05' }], source, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(await cluster.waitForBatch(pool, good.batch_id!)).toMatchObject({ status: 'completed' });
    // A week the golden directory has no file for: its fetch fails.
    const missing = await cluster.enqueue(pool, { kind: 'backfill', weeks: [{ tier: 'OTC', week_ending: '2026-01-02' }], source, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(await cluster.waitForBatch(pool, missing.batch_id!)).toMatchObject({ weeks_failed: 1 });

    // The counters move when the job's outcome is recorded, a moment after the batch shows it.
    await expect.poll(async () => sampleValue(await scrape(worker), 'spine_jobs_total', { queue: 'fetch', state: 'failed' }), { timeout: 10_000 }).toBe(1);
    const text = await scrape(worker);
    expect(sampleValue(text, 'spine_jobs_total', { queue: 'fetch', state: 'completed' })).toBe(1);
    expect(sampleValue(text, 'spine_jobs_total', { queue: 'stage', state: 'completed' })).toBe(5);
    expect(sampleValue(text, 'spine_jobs_total', { queue: 'stage', state: 'failed' })).toBeUndefined();
    // Rows by stage, against what is in the tables: ingest wrote otc_raw, normalize otc_venue_volume.
    const rawRows = await count(pool, `SELECT 1 FROM otc_raw WHERE week_ending = '2025-12-05'`);
    expect(rawRows).toBeGreaterThan(0);
    expect(sampleValue(text, 'spine_stage_rows_total', { dataset: 'otc', stage: 'ingest' })).toBe(rawRows);
    expect(sampleValue(text, 'spine_stage_rows_total', { dataset: 'otc', stage: 'normalize' })).toBe(await count(pool, `SELECT 1 FROM otc_venue_volume WHERE week_ending = '2025-12-05'`));
    expect(sampleValue(text, 'spine_stage_duration_seconds_count', { dataset: 'otc', stage: 'snapshot' })).toBe(1);
    expect(text).not.toMatch(/week_ending|batch_id/);
    expectPromtoolAccepts(text);
    await worker.stop();

    // The dashboard's anonymous /metrics: the same jobs as queue counts, durations, and no job data.
    const dashboard = await spawnSpine(['dashboard', '--port', '0'], { ...process.env, ...cluster.env, DASHBOARD_ADMIN_PASSWORD: 'admin-password-metrics' }, { startedMessage: 'dashboard started' });
    try {
      const board = await (await fetch(`${/"url":"(http:[^"]+)"/.exec(dashboard.output())![1]}/metrics`)).text();
      expect(sampleValue(board, 'spine_queue_jobs', { queue: 'fetch', state: 'completed' })).toBe(1);
      expect(sampleValue(board, 'spine_queue_jobs', { queue: 'fetch', state: 'failed' })).toBe(1);
      expect(sampleValue(board, 'spine_queue_jobs', { queue: 'stage', state: 'completed' })).toBe(5);
      expect(sampleValue(board, 'spine_job_duration_seconds_recent', { queue: 'stage', stat: 'max' })).toBeGreaterThan(0);
      expect(board).not.toMatch(/week_ending|batch_id|backfill-|otc-OTC-|2025-12-05/);
      expectPromtoolAccepts(board);
    } finally {
      await dashboard.stop();
    }
  });

  it('the worker counts weeks ingested, duplicate records and validation failures; the scheduler exports the data\'s health', async () => {
    await resetData(pool);
    const worker = await cluster.spawnWorker(['--queues', 'fetch,stage']);
    // NMS Tier 1 2025-11-21 repeats a (symbol, MPID) key; OTC's tier volume fell 58% from 2025-11-21 to 2025-11-28 (a
    // tier_volume_swing WARN), and GRLT traded on 11-21 and not on 11-28. Two weeks a tier: rolling runs in the window jobs.
    const weeks = [['NMS_TIER_1', '2025-11-14'], ['NMS_TIER_1', '2025-11-21'], ['OTC', '2025-11-21'], ['OTC', '2025-11-28']].map(([tier, week_ending]) => ({ tier: tier as Tier, week_ending: week_ending! }));
    const batch = await cluster.enqueue(pool, { kind: 'backfill', weeks, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(await cluster.waitForBatch(pool, batch.batch_id!)).toMatchObject({ status: 'completed' });
    const tier1 = { dataset: 'otc', partition: 'NMS_TIER_1 ATS', tier: 'NMS_TIER_1', venue_type: 'ATS' };
    const otc = OTC_ATS;
    await expect.poll(async () => sampleValue(await scrape(worker), 'spine_stage_duration_seconds_count', { dataset: 'otc', stage: 'snapshot' }), { timeout: 10_000 }).toBe(4);
    const text = await scrape(worker);
    expect(sampleValue(text, 'spine_week_captures_ingested_total', tier1)).toBe(2);
    expect(sampleValue(text, 'spine_week_captures_ingested_total', otc)).toBe(2);
    expect(sampleValue(text, 'spine_duplicate_records_total', tier1)).toBe(await count(pool, `SELECT 1 FROM core_rejects WHERE reason_code = 'DUPLICATE_KEY'`));
    expect(sampleValue(text, 'spine_duplicate_records_total', tier1)).toBe(1);
    expect(sampleValue(text, 'spine_duplicate_records_total', otc)).toBeUndefined();
    // One verdict other than PASS, written once although week-over-week checks of 11-21 look at 11-28 as well.
    expect(sampleValue(text, 'spine_validation_failures_total', { dataset: 'otc', check: 'tier_volume_swing', status: 'WARN' })).toBe(1);
    expect(await count(pool, `SELECT 1 FROM core_quality WHERE status <> 'PASS'`)).toBe(1);
    expect(text).not.toMatch(/week_ending|2025-11/);
    expectPromtoolAccepts(text);
    await worker.stop();

    // A batch running for three hours (with the reconciler off, which would close it: it has no jobs), and the
    // scheduler's view of what the worker loaded.
    await pool.query(`INSERT INTO core_batches (batch_id, kind, domain, status, created_at) VALUES ('stuck-batch', 'manual', 'otc', 'running', now() - interval '3 hours')`);
    await pool.query(`UPDATE core_expected_schedules SET enabled = (key_2 = 'ATS' AND key_1 IN ('NMS_TIER_1', 'OTC')), lookback_weeks = 1, source = 'finra'`);
    const scheduler = await startScheduler({ RECONCILE_ON_TICK: 'false' });
    try {
      await expect.poll(async () => sampleValue(await scrape(scheduler), 'spine_latest_week_timestamp_seconds', otc), { timeout: 15_000 }).toBe(Date.UTC(2025, 10, 28) / 1000);
      const health = await scrape(scheduler);
      expect(sampleValue(health, 'spine_latest_week_timestamp_seconds', tier1)).toBe(Date.UTC(2025, 10, 21) / 1000);
      const lines = (tier: string, week: string) => count(pool, `SELECT 1 FROM otc_raw WHERE tier = '${tier}' AND week_ending = '${week}'`);
      // Tier 1 11-21: 7 lines, one a duplicate; 11-14: 6 lines, one of another tier.
      expect(sampleValue(health, 'spine_week_records', tier1)).toBe(await lines('NMS_TIER_1', '2025-11-21'));
      expect(sampleValue(health, 'spine_week_records', tier1)).toBe(6);
      expect(sampleValue(health, 'spine_week_records_rolling_average', tier1)).toBe(await lines('NMS_TIER_1', '2025-11-14'));
      expect(sampleValue(health, 'spine_week_records', otc)).toBe(await lines('OTC', '2025-11-28'));
      // Five checks, one WARN: (4 + 0.5) / 5.
      expect(sampleValue(health, 'spine_quality_score', otc)).toBe(0.9);
      expect(sampleValue(health, 'spine_quality_score', tier1)).toBe(1);
      expect(sampleValue(health, 'spine_symbols_missing', otc)).toBe(1);
      expect(sampleValue(health, 'spine_symbols_missing', tier1)).toBe(0);
      const running = sampleValue(health, 'spine_oldest_running_batch_seconds', { kind: 'manual' })!;
      expect(running).toBeGreaterThanOrEqual(3 * 3600);
      expect(running).toBeLessThan(3 * 3600 + 60);
      expect(health).not.toMatch(/week_ending="|batch_id|stuck-batch/);
      expectPromtoolAccepts(health);
    } finally {
      await scheduler.stop();
      await pool.query(`DELETE FROM core_batches WHERE batch_id = 'stuck-batch'`);
    }
  });

  it('a daily dataset\'s series carry its dataset and its own key: Reg SHO facilities beside the weekly tiers', async () => {
    await resetData(pool);
    const worker = await cluster.spawnWorker(['--queues', 'fetch,stage']);
    const days = TRADE_DATES.flatMap((day) => ['N', 'Q'].map((tier) => ({ tier, week_ending: day })));
    const batch = await cluster.enqueue(pool, { dataset: 'regsho', kind: 'backfill', weeks: days, source: `dir:${join(dailyFiles, 'regsho')}`, force: false, maxRejectShare: 0.1 });
    expect(await cluster.waitForBatch(pool, batch.batch_id!)).toMatchObject({ status: 'completed' });
    const nasdaq = { dataset: 'regsho', partition: 'Q', market_code: 'Q' };
    await expect.poll(async () => sampleValue(await scrape(worker), 'spine_week_captures_ingested_total', nasdaq), { timeout: 10_000 }).toBe(3);
    const text = await scrape(worker);
    expect(sampleValue(text, 'spine_week_captures_ingested_total', { dataset: 'regsho', partition: 'N', market_code: 'N' })).toBe(3);
    expect(sampleValue(text, 'spine_stage_rows_total', { dataset: 'regsho', stage: 'ingest' })).toBe(await count(pool, 'SELECT 1 FROM regsho_daily_lines'));
    expect(sampleValue(text, 'spine_stage_duration_seconds_count', { dataset: 'regsho', stage: 'ingest' })).toBe(6);
    expect(text).not.toMatch(/dataset="otc"|venue_type=|tier=/);
    expectPromtoolAccepts(text);
    await worker.stop();

    // The scheduler's view: the facilities' latest day, its records, the days before it and symbols gone since.
    await pool.query(`UPDATE core_expected_schedules SET enabled = (domain = 'regsho' AND key_1 IN ('N', 'Q')), lookback_weeks = 1, source = 'finra'`);
    const scheduler = await startScheduler({ RECONCILE_ON_TICK: 'false' });
    try {
      await expect.poll(async () => sampleValue(await scrape(scheduler), 'spine_latest_week_timestamp_seconds', nasdaq), { timeout: 15_000 }).toBe(Date.UTC(2025, 0, 10) / 1000);
      const health = await scrape(scheduler);
      const lines = (tier: string, day: string) => count(pool, `SELECT 1 FROM regsho_daily_volume WHERE market_code = '${tier}' AND trade_date = '${day}'`);
      expect(sampleValue(health, 'spine_week_records', nasdaq)).toBe(await lines('Q', '2025-01-10'));
      expect(sampleValue(health, 'spine_quality_score', nasdaq)).toBe(1);
      // The 6 trading days before 01-10 (01-09 was a closure) reach back to 12-31: 01-07 and 01-08 are loaded.
      expect(sampleValue(health, 'spine_week_records_rolling_average', nasdaq)).toBe(((await lines('Q', '2025-01-07')) + (await lines('Q', '2025-01-08'))) / 2);
      const gone = await count(pool, `SELECT symbol FROM regsho_daily_volume WHERE market_code = 'Q' AND trade_date = '2025-01-08'
                                      EXCEPT SELECT symbol FROM regsho_daily_volume WHERE market_code = 'Q' AND trade_date = '2025-01-10'`);
      expect(sampleValue(health, 'spine_symbols_missing', nasdaq)).toBe(gone);
      expect(sampleValue(health, 'spine_missing_weeks', nasdaq)).toBeGreaterThan(0);
      expect(health).not.toMatch(/dataset="otc"/);
      expectPromtoolAccepts(health);
    } finally {
      await scheduler.stop();
    }
  });

  it('the scheduler leader exports its lag, missing weeks and leadership', async () => {
    // Only OTC, looking back 3 weeks, none of them loaded; the stand-in lists nothing published, so nothing is enqueued.
    await resetData(pool);
    await pool.query(`UPDATE core_expected_schedules SET enabled = (key_1 = 'OTC' AND key_2 = 'ATS'), lookback_weeks = 3, source = 'finra'`);
    const scheduler = await startScheduler();
    try {
      await expect.poll(async () => sampleValue(await scrape(scheduler), 'spine_missing_weeks', OTC_ATS), { timeout: 15_000 }).toBe(3);
      const text = await scrape(scheduler);
      expect(sampleValue(text, 'spine_scheduler_leader')).toBe(1);
      expect(text).not.toMatch(/tier="NMS_TIER_1"/);
      // The oldest of the 3 missing weeks fell due 2 weeks before the newest due one, which fell due within the
      // last week: its lag is 14 to 21 days (give or take the hour a daylight saving change moves 09:00 New York).
      const lag = sampleValue(text, 'spine_ingestion_lag_seconds', OTC_ATS)!;
      expect(lag).toBeGreaterThanOrEqual(14 * 86_400 - 3600);
      expect(lag).toBeLessThan(21 * 86_400 + 3600);
      const lastTick = sampleValue(text, 'spine_scheduler_last_success_timestamp_seconds')!;
      expect(Math.abs(Date.now() / 1000 - lastTick)).toBeLessThan(30);
      expectPromtoolAccepts(text);
    } finally {
      await scheduler.stop();
    }
  });
});
