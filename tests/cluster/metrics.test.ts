import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-source/stand-in';
import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';
import { resetData, testPool } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { TestCluster } from '../support/cluster.ts';
import { saveSchedules } from '../support/schedules.ts';
import { promtoolCheckMetrics, promtoolPath, sampleValue } from '../support/prometheus.ts';

const pool = testPool();
const cluster = new TestCluster();
const emptyFixtures = mkdtempSync(join(tmpdir(), 'spine-metrics-finra-'));
let standIn: FinraStandIn;
let restoreSchedules = async () => {};
const promtool = promtoolPath();

beforeAll(async () => {
  // One fetch attempt, so the week with no file fails for good at once.
  await cluster.start({ FETCH_ATTEMPTS: '1' });
  await resetData(pool);
  restoreSchedules = await saveSchedules(pool);
  standIn = await startFinraStandIn({ fixturesDir: emptyFixtures, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await restoreSchedules();
  await cluster.stop();
  await standIn?.close();
  rmSync(emptyFixtures, { recursive: true, force: true });
  await pool.end();
});

function healthPort(child: SpineChild): number {
  const match = /"healthPort":(\d+)/.exec(child.output());
  if (!match) throw new Error(`no health port in the log:\n${child.output()}`);
  return Number(match[1]);
}

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
    // One week, one flow: fetch on otc-fetch, then ingest, normalize, aggregate, rolling, snapshot on otc-stage.
    const good = await cluster.enqueue(pool, { kind: 'backfill', weeks: [{ tier: 'OTC', week_ending: '2025-12-05' }], source, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(await cluster.waitForBatch(pool, good.batch_id!)).toMatchObject({ status: 'completed' });
    // A week the golden directory has no file for: its fetch fails.
    const missing = await cluster.enqueue(pool, { kind: 'backfill', weeks: [{ tier: 'OTC', week_ending: '2026-01-02' }], source, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(await cluster.waitForBatch(pool, missing.batch_id!)).toMatchObject({ weeks_failed: 1 });

    // The counters move when the job's outcome is recorded, a moment after the batch shows it.
    await expect.poll(async () => sampleValue(await scrape(worker), 'spine_jobs_total', { queue: 'otc-fetch', state: 'failed' }), { timeout: 10_000 }).toBe(1);
    const text = await scrape(worker);
    expect(sampleValue(text, 'spine_jobs_total', { queue: 'otc-fetch', state: 'completed' })).toBe(1);
    expect(sampleValue(text, 'spine_jobs_total', { queue: 'otc-stage', state: 'completed' })).toBe(5);
    expect(sampleValue(text, 'spine_jobs_total', { queue: 'otc-stage', state: 'failed' })).toBeUndefined();
    // Rows by stage, against what is in the tables: ingest wrote otc_raw, normalize otc_venue_volume.
    const rawRows = await count(pool, `SELECT 1 FROM otc_raw WHERE week_ending = '2025-12-05'`);
    expect(rawRows).toBeGreaterThan(0);
    expect(sampleValue(text, 'spine_stage_rows_total', { stage: 'ingest' })).toBe(rawRows);
    expect(sampleValue(text, 'spine_stage_rows_total', { stage: 'normalize' })).toBe(await count(pool, `SELECT 1 FROM otc_venue_volume WHERE week_ending = '2025-12-05'`));
    expect(sampleValue(text, 'spine_stage_duration_seconds_count', { stage: 'snapshot' })).toBe(1);
    expect(text).not.toMatch(/week_ending|batch_id/);
    expectPromtoolAccepts(text);
    await worker.stop();

    // The dashboard's anonymous /metrics: the same jobs as queue counts, durations, and no job data.
    const dashboard = await spawnSpine(['dashboard', '--port', '0'], { ...process.env, ...cluster.env, DASHBOARD_ADMIN_PASSWORD: 'admin-password-metrics' }, { startedMessage: 'dashboard started' });
    try {
      const board = await (await fetch(`${/"url":"(http:[^"]+)"/.exec(dashboard.output())![1]}/metrics`)).text();
      expect(sampleValue(board, 'spine_queue_jobs', { queue: 'otc-fetch', state: 'completed' })).toBe(1);
      expect(sampleValue(board, 'spine_queue_jobs', { queue: 'otc-fetch', state: 'failed' })).toBe(1);
      expect(sampleValue(board, 'spine_queue_jobs', { queue: 'otc-stage', state: 'completed' })).toBe(5);
      expect(sampleValue(board, 'spine_job_duration_seconds_recent', { queue: 'otc-stage', stat: 'max' })).toBeGreaterThan(0);
      expect(board).not.toMatch(/week_ending|batch_id|backfill-|otc-OTC-|2025-12-05/);
      expectPromtoolAccepts(board);
    } finally {
      await dashboard.stop();
    }
  });

  it('the scheduler leader exports its lag, missing weeks and leadership', async () => {
    // Only OTC, looking back 3 weeks, none of them loaded; the stand-in lists nothing published, so nothing is enqueued.
    await resetData(pool);
    await pool.query(`UPDATE core_expected_schedules SET enabled = (tier = 'OTC' AND venue_type = 'ATS'), lookback_weeks = 3, source = 'finra'`);
    const scheduler = await spawnSpine(['scheduler'], {
      ...process.env, ...cluster.env, SCHEDULER_CRON: '* * * * * *', SCHEDULER_HEALTH_PORT: '0', FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl,
    }, { startedMessage: 'scheduler started' });
    try {
      await expect.poll(async () => sampleValue(await scrape(scheduler), 'spine_missing_weeks', { tier: 'OTC', venue_type: 'ATS' }), { timeout: 15_000 }).toBe(3);
      const text = await scrape(scheduler);
      expect(sampleValue(text, 'spine_scheduler_leader')).toBe(1);
      expect(sampleValue(text, 'spine_missing_weeks', { tier: 'NMS_TIER_1' })).toBeUndefined();
      // The oldest of the 3 missing weeks fell due 2 weeks before the newest due one, which fell due within the
      // last week: its lag is 14 to 21 days (give or take the hour a daylight saving change moves 09:00 New York).
      const lag = sampleValue(text, 'spine_ingestion_lag_seconds', { tier: 'OTC', venue_type: 'ATS' })!;
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
