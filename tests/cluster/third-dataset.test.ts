import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createPool, DatasetRegistry, MONTH_PERIODS, parseEnv, runMigrations, type Pool } from '@spine/platform';
import { datasets, migrationDirs } from '@spine/datasets';
import { backfillRequestSchema, describeIssues, enqueueBatch, expandWeeks } from '@spine/orchestration';
import { sourceAllowListFromEnv, sourceCatalog } from '@spine/finra-source';
import { lagReport, queueEnqueuer, runTick } from '@spine/scheduling';
import { coverageGrid } from '@spine/operations';
import { startWorkerProcess, type WorkerHandle } from '@spine/worker';
import { workerEnvSchema } from '@spine/worker/worker-env';
import type { DashboardHandle } from '@spine/dashboard';
import { TestCluster } from '../support/cluster.ts';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';
import { ADMIN, basicPage, startTestDashboard } from '../support/dashboard.ts';
import { MONTHLY_FIXTURE, MONTHLY_HEADER, monthlyDataset, monthlyFileName } from '../support/monthly-dataset/dataset.ts';

/**
 * Issue 19's promise, held to a third dataset that no package of this release knows: monthly partitions (a period
 * kind neither OTC nor Reg SHO has) x one key, defined in tests/support/monthly-dataset against the platform's
 * contract alone and registered beside OTC and Reg SHO. Its migrations run with theirs; backfill requests, the
 * worker's fetch and stage jobs, lag, coverage, the scheduler's tick and the dashboard's pages take it from the
 * registry they are given, with no file of theirs changed for it.
 */
const registry = new DatasetRegistry([...datasets.list(), monthlyDataset]);
const REGIONS = ['EAST', 'WEST'];
const MONTHS = ['2024-11-30', '2024-12-31', '2025-01-31', '2025-02-28'];
const SYMBOLS = ['AAA', 'BBB', 'CCC'];
const volume = (region: string, month: string, symbol: string) => (REGIONS.indexOf(region) + 1) * 1000 + Number(month.slice(5, 7)) * 10 + SYMBOLS.indexOf(symbol);

let database: RunDatabase;
let pool: Pool;
let files: string;
const cluster = new TestCluster(registry);
let worker: WorkerHandle | undefined;
let dashboard: DashboardHandle | undefined;

beforeAll(async () => {
  database = await createRunDatabase('spine_monthly', { migrate: false });
  await runMigrations({ databaseUrl: database.url, dirs: migrationDirs(registry) });
  pool = createPool(database.url, 4);
  files = mkdtempSync(join(tmpdir(), 'spine-monthly-'));
  for (const region of REGIONS) {
    mkdirSync(join(files, region));
    for (const month of MONTHS) {
      writeFileSync(join(files, monthlyFileName(region, month)), [MONTHLY_HEADER, ...SYMBOLS.map((s) => `${s}|${volume(region, month, s)}`), ''].join('\n'));
    }
  }
  await cluster.start({ DATABASE_URL: database.url, SOURCE_DIR_ALLOWLIST: files, LOG_LEVEL: 'silent' });
  worker = await startWorkerProcess(parseEnv(workerEnvSchema, { ...process.env, ...cluster.env }), { roles: ['fetch', 'stage'], healthPort: 0, datasets: registry });
}, 60_000);

afterAll(async () => {
  await dashboard?.close();
  await worker?.shutdown('test ends');
  await cluster.stop();
  await pool?.end();
  await database?.drop();
  rmSync(files, { recursive: true, force: true });
});

const loaded = async () => (await pool.query<{ month_end: string; region: string; volume: string }>(
  `SELECT to_char(month_end, 'YYYY-MM-DD') AS month_end, region, sum(volume)::text AS volume FROM monthly_fixture_volume_latest GROUP BY 1, 2 ORDER BY 1, 2`)).rows;
const fileTotal = (region: string, month: string) => String(SYMBOLS.reduce((sum, s) => sum + volume(region, month, s), 0));

describe('a third dataset, registered beside OTC and Reg SHO', () => {
  it('is checked by the registry and migrates with the release: its table, graph and schedules of months', async () => {
    expect(registry.names()).toEqual(['otc', 'regsho', MONTHLY_FIXTURE]);
    const { rows } = await pool.query(`SELECT key_1 AS tier, key_2 AS venue_type, period_kind, trading_calendar FROM core_expected_schedules WHERE domain = $1 ORDER BY key_1`, [MONTHLY_FIXTURE]);
    expect(rows).toEqual(REGIONS.map((tier) => ({ tier, venue_type: '-', period_kind: 'month', trading_calendar: null })));
  });

  it('takes a backfill request in months: the platform checks the dates, the publisher\'s first month and the partitions', () => {
    const schema = backfillRequestSchema(monthlyDataset, sourceCatalog({ allow: sourceAllowListFromEnv({ SOURCE_DIR_ALLOWLIST: [files], SOURCE_S3_BUCKET_ALLOWLIST: [] }) }),
      { maxPartitions: 100, today: '2025-03-15', periods: MONTH_PERIODS });
    const ok = schema.parse({ tier: 'all', from: '2024-11-30', to: '2025-01-31', source: `dir:${files}` });
    expect(expandWeeks(ok.tier, ok.from, ok.to, ok.venue_type, MONTH_PERIODS)).toHaveLength(6);
    const notMonth = schema.safeParse({ tier: 'east', from: '2024-11-29', to: '2025-01-31', source: `dir:${files}` });
    expect(describeIssues(notMonth.error!)).toMatch(/2024-11-29 is not the last day of its month; a month is named by its last day \(2024-11-30\)/);
    const early = schema.safeParse({ tier: 'EAST', from: '2023-12-31', to: '2024-02-29', source: `dir:${files}` });
    expect(describeIssues(early.error!)).toMatch(/2023-12-31 is before the fixture exchange's first - month, 2024-01-31 \(first months: - 2024-01-31\)/);
  });

  it('runs a backfill of its months through the worker\'s fetch and stage queues', async () => {
    const queues = cluster.queues(pool);
    const weeks = expandWeeks(REGIONS, MONTHS[0]!, MONTHS[2]!, ['-'], MONTH_PERIODS);
    const { batch_id: batchId } = await enqueueBatch(queues, { dataset: MONTHLY_FIXTURE, kind: 'backfill', weeks, source: `dir:${files}`, force: false, maxRejectShare: 0.05 });
    await queues.close();
    const progress = await cluster.waitForBatch(pool, batchId!);
    expect(progress).toMatchObject({ status: 'completed', weeks_total: 6, weeks_done: 6, weeks_failed: 0, failures: [] });
    expect(await loaded()).toEqual(MONTHS.slice(0, 3).flatMap((month) => REGIONS.map((region) => ({ month_end: month, region, volume: fileTotal(region, month) }))));
    const { rows: readiness } = await pool.query(`SELECT status, count(*)::int AS n FROM core_data_readiness WHERE domain = $1 GROUP BY status`, [MONTHLY_FIXTURE]);
    expect(readiness).toEqual([{ status: 'ready', n: 6 }]);
  });

  it('is late, covered and scheduled by the month: the scheduler enqueues the month due and the worker loads it', async () => {
    // Its own schedules on the files; OTC's and Reg SHO's would ask FINRA, which this test does not reach.
    await pool.query(`UPDATE core_expected_schedules SET source = $2 WHERE domain = $1`, [MONTHLY_FIXTURE, `dir:${files}`]);
    await pool.query(`UPDATE core_expected_schedules SET enabled = false WHERE domain <> $1`, [MONTHLY_FIXTURE]);
    // February is due on the last day of March at 09:00 UTC; January on the last of February.
    const march = new Date('2025-03-31T08:00:00Z');
    const april = new Date('2025-04-01T12:00:00Z');
    const lagOf = async (now: Date) => (await lagReport(pool, now)).filter((l) => l.dataset === MONTHLY_FIXTURE);
    expect((await lagOf(march)).map((l) => [l.tier, l.expected_week, l.missing_weeks])).toEqual([['EAST', '2025-01-31', []], ['WEST', '2025-01-31', []]]);
    expect((await lagOf(april)).map((l) => [l.tier, l.expected_week, l.missing_weeks, l.lag_hours])).toEqual([['EAST', '2025-02-28', ['2025-02-28'], 27], ['WEST', '2025-02-28', ['2025-02-28'], 27]]);
    const grid = await coverageGrid(pool, monthlyDataset, { now: april, weeks: 4 });
    expect(grid.weeks).toEqual(['2025-02-28', '2025-01-31', '2024-12-31', '2024-11-30']);
    expect(grid.cells.map((c) => `${c.week_ending} ${c.tier} ${c.state}`)).toEqual([...MONTHS].reverse().flatMap((m) => REGIONS.map((r) => `${m} ${r} ${m === '2025-02-28' ? 'missing' : 'complete'}`)));

    const queues = cluster.queues(pool);
    try {
      const tick = await runTick({ pool, datasets: registry, enqueuer: queueEnqueuer(queues, 0.05), sinks: [], logger: createLogger('silent', 'test'), revisionCheckHours: 24 }, april);
      expect(tick.enqueued.map((w) => `${w.tier} ${w.week_ending}`).sort()).toEqual(['EAST 2025-02-28', 'WEST 2025-02-28']);
      expect(tick.batch_ids).toHaveLength(1);
      expect(await cluster.waitForBatch(pool, tick.batch_ids[0]!)).toMatchObject({ status: 'completed', weeks_done: 2 });
    } finally {
      await queues.close();
    }
    expect((await loaded()).filter((r) => r.month_end === '2025-02-28')).toEqual(REGIONS.map((region) => ({ month_end: '2025-02-28', region, volume: fileTotal(region, '2025-02-28') })));
    expect((await lagOf(april)).map((l) => l.missing_weeks)).toEqual([[], []]);
  });

  it('has its pages on the dashboard: coverage in months, a month\'s partition, the backfill form', async () => {
    dashboard = await startTestDashboard({ DATABASE_URL: database.url }, { datasets: registry });
    const coverage = await basicPage(`${dashboard.url}/coverage?dataset=${MONTHLY_FIXTURE}&weeks=3&until=2025-01-31`, ADMIN);
    expect(coverage.status).toBe(200);
    expect(coverage.body).toContain('3 months to 2025-01-31, newest first');
    expect(coverage.body).toContain('older months');
    expect(coverage.body).toContain('<th>month_end</th>');
    const partition = await basicPage(`${dashboard.url}/partitions/EAST/-/2025-01-31?dataset=${MONTHLY_FIXTURE}`, ADMIN);
    expect(partition.status).toBe(200);
    expect(partition.body).toContain('Monthly fixture volume: EAST, month ending 2025-01-31');
    const notMonth = await basicPage(`${dashboard.url}/partitions/EAST/-/2025-01-30?dataset=${MONTHLY_FIXTURE}`, ADMIN);
    expect(notMonth.status).toBe(404);
    expect(notMonth.body).toContain('2025-01-30 is not the last day of its month');
    const form = await basicPage(`${dashboard.url}/batches?dataset=${MONTHLY_FIXTURE}`, ADMIN);
    expect(form.body).toContain('From month (a month&#39;s last day)');
  });
});
