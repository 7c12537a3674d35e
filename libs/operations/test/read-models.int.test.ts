import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatch, finishExecution, startExecution } from '@spine/platform';
import { runPartition } from '@spine/platform/partition-run';
import { datasets } from '@spine/datasets';
import type { PublicationProvider } from '@spine/scheduling';
import { testPool, resetData } from '../../../tests/support/database.ts';
import { GOLDEN_DIR } from '../../../tests/support/golden.ts';
import { anomalyList, batchList, batchReport, coverageGrid, lagOverview, partitionDetail, qualityList, qualitySummary } from '../src/index.ts';

const pool = testPool();
const otc = datasets.get('otc');
const { name: DOMAIN, pipeline: PIPELINE } = otc;
const scratch = mkdtempSync(join(tmpdir(), 'spine-coverage-'));
// A Tuesday: Tier 1 is due to the week ending 2025-12-12 (published Monday 12-29), Tier 2 and OTC to 2025-11-28.
const NOW = new Date('2025-12-30T12:00:00Z');
// The source lists every week to 2025-11-28 and none after.
const publication: PublicationProvider = async () => ({ has: (_tier, week) => week <= '2025-11-28', where: 'a test listing' });
const golden = (tier: string, week: string) => join(GOLDEN_DIR, tier, `${week}.psv`);

async function weekRun(tier: string, venueType: string, week: string, status: 'running' | 'failed'): Promise<void> {
  const batchId = await createBatch(pool, { kind: 'backfill', domain: DOMAIN, weeksTotal: 1, params: {} });
  const run = await startExecution(pool, { batchId, pipeline: PIPELINE, stage: 'week', periodEnd: week, key1: tier, key2: venueType });
  if (status === 'failed') await finishExecution(pool, run.executionId, { status: 'failed', error: 'fetch: FINRA answered 500' });
}

beforeAll(async () => {
  await resetData(pool);
  await runPartition(pool, otc, { key1: 'NMS_TIER_1', periodEnd: '2025-12-05', file: golden('NMS_TIER_1', '2025-12-05'), maxRejectShare: 0.5 });
  // One PARSE_ERROR line in six: stopped by a gate that allows none.
  await runPartition(pool, otc, { key1: 'NMS_TIER_2', periodEnd: '2025-11-21', file: golden('NMS_TIER_2', '2025-11-21'), maxRejectShare: 0 });
  // FINRA republished the week: new content is revision 2.
  await runPartition(pool, otc, { key1: 'OTC', periodEnd: '2025-11-28', file: golden('OTC', '2025-11-28'), maxRejectShare: 0.5 });
  const revised = join(scratch, '2025-11-28.psv');
  writeFileSync(revised, readFileSync(golden('OTC', '2025-11-28'), 'utf8').replace('|200000|2000|', '|200100|2000|'));
  await runPartition(pool, otc, { key1: 'OTC', periodEnd: '2025-11-28', file: revised, maxRejectShare: 0.5 });
  await weekRun('NMS_TIER_1', 'NON_ATS', '2025-12-05', 'running');
  await weekRun('OTC', 'NON_ATS', '2025-11-21', 'failed');
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await pool.end();
});

describe('coverage from the publication calendar', () => {
  it('has a cell for every partition of every schedule, loaded or not, in the states an operator acts on', async () => {
    const grid = await coverageGrid(pool, otc, { now: NOW, weeks: 4, publication });
    expect(grid.newest_due).toBe('2025-12-12');
    expect(grid.weeks).toEqual(['2025-12-12', '2025-12-05', '2025-11-28', '2025-11-21']);
    expect(grid.columns.map((c) => `${c.tier} ${c.venue_type}`)).toEqual([
      'NMS_TIER_1 ATS', 'NMS_TIER_1 NON_ATS', 'NMS_TIER_2 ATS', 'NMS_TIER_2 NON_ATS', 'OTC ATS', 'OTC NON_ATS']);
    expect(grid.cells).toHaveLength(4 * 6);
    const state = (tier: string, venueType: string, week: string) => grid.cells.find((c) => c.tier === tier && c.venue_type === venueType && c.week_ending === week)?.state;
    expect(state('NMS_TIER_1', 'ATS', '2025-12-05')).toBe('complete');
    expect(state('NMS_TIER_1', 'NON_ATS', '2025-12-05')).toBe('running');
    expect(state('NMS_TIER_2', 'ATS', '2025-11-21')).toBe('gated');
    expect(state('OTC', 'ATS', '2025-11-28')).toBe('revised');
    expect(state('OTC', 'NON_ATS', '2025-11-21')).toBe('failed');
    // Due and never loaded: FINRA's lateness when it does not list the week, ours when it does.
    expect(state('NMS_TIER_1', 'ATS', '2025-12-12')).toBe('not_published');
    expect(state('NMS_TIER_1', 'ATS', '2025-11-28')).toBe('missing');
    // Tier 2 and OTC weeks after 2025-11-28 are not due until January.
    expect(state('NMS_TIER_2', 'ATS', '2025-12-05')).toBe('not_due');
    expect(state('OTC', 'NON_ATS', '2025-12-12')).toBe('not_due');
  });

  it('pages back in time with until, and without a source listing calls nothing not published', async () => {
    const grid = await coverageGrid(pool, otc, { now: NOW, weeks: 2, until: '2025-11-07' });
    expect(grid.weeks).toEqual(['2025-11-07', '2025-10-31']);
    expect(new Set(grid.cells.map((c) => c.state))).toEqual(new Set(['missing']));
    expect(grid.cells.every((c) => c.published === null)).toBe(true);
  });
});

describe('a partition\'s page', () => {
  it('lists its captures, its runs with each stage\'s own duration, its rejects and its quality checks', async () => {
    const detail = await partitionDetail(pool, { domain: DOMAIN, key1: 'OTC', key2: 'ATS', periodEnd: '2025-11-28' }, { now: NOW });
    expect(detail.captures.map((c) => c.revision)).toEqual([2, 1]);
    expect(detail.runs).toHaveLength(2);
    const [newest] = detail.runs;
    expect(newest!.status).toBe('completed');
    expect(newest!.stages.map((s) => s.stage)).toEqual(['ingest', 'normalize', 'aggregate', 'rolling', 'snapshot']);
    const { rows } = await pool.query<{ duration_ms: number }>(
      `SELECT (metrics->>'duration_ms')::int AS duration_ms FROM core_executions WHERE batch_id = $1 AND stage <> 'week' ORDER BY started_at, execution_id`, [newest!.batch_id]);
    expect(newest!.stages.map((s) => s.duration_ms)).toEqual(rows.map((r) => r.duration_ms));
    expect(newest!.processing_ms).toBe(rows.reduce((n, r) => n + r.duration_ms, 0));
    expect(detail.quality.length).toBeGreaterThan(0);

    const gated = await partitionDetail(pool, { domain: DOMAIN, key1: 'NMS_TIER_2', key2: 'ATS', periodEnd: '2025-11-21' }, { now: NOW });
    expect(gated.rejects).toEqual([expect.objectContaining({ reason_code: 'PARSE_ERROR', count: 1, first_line: 5 })]);
    expect(gated.runs[0]!.status).toBe('gated');
  });
});

describe('a batch\'s report', () => {
  it('has a row per partition with its rows, rejects, processing time and queue wait; none for an unknown batch', async () => {
    const { rows } = await pool.query<{ batch_id: string }>(`SELECT batch_id FROM core_executions WHERE stage = 'week' AND key_1 = 'NMS_TIER_2' AND period_end = '2025-11-21'`);
    const report = await batchReport(pool, rows[0]!.batch_id, NOW);
    expect(report).toMatchObject({ kind: 'manual', status: 'partial', close_reason: 'ingest: the quality gate stopped NMS_TIER_2 ATS 2025-11-21', requested_by: null });
    expect(report!.partitions).toEqual([expect.objectContaining({ tier: 'NMS_TIER_2', venue_type: 'ATS', week_ending: '2025-11-21', status: 'gated', rows: 4, rejects: 1, error: null })]);
    const [partition] = report!.partitions;
    expect(partition!.processing_ms).toBeGreaterThan(0);
    expect(partition!.elapsed_ms).toBe(partition!.processing_ms + partition!.queue_wait_ms);
    expect(await batchReport(pool, 'backfill-unknown', NOW)).toBeUndefined();
  });
});

describe('lists', () => {
  it('count every row, page through them, and keep only the problems on demand', async () => {
    await pool.query(`INSERT INTO core_anomalies (domain, category, severity, message, resolved_at)
      SELECT 'otc', 'PIPELINE', CASE WHEN i % 12 = 0 THEN 'WARN' ELSE 'INFO' END, 'anomaly ' || i, CASE WHEN i % 24 = 0 THEN now() END
        FROM generate_series(1, 60) AS i`);
    const recorded = (await pool.query('SELECT 1 FROM core_anomalies')).rowCount!;
    const second = await anomalyList(pool, { offset: 50, limit: 50, problemsOnly: false });
    expect(second.total).toBe(recorded);
    expect(second.rows).toHaveLength(recorded - 50);
    // Every 12th is a WARN, every 24th of those resolved: 5 warnings, 3 still open.
    const open = await anomalyList(pool, { offset: 0, limit: 50, problemsOnly: true });
    expect(open.rows.filter((a) => a.message.startsWith('anomaly ')).map((a) => a.message).sort()).toEqual(['anomaly 12', 'anomaly 36', 'anomaly 60']);
    expect(open.rows.every((a) => a.resolved_at === null && a.severity !== 'INFO')).toBe(true);

    const summary = await qualitySummary(pool);
    const checks = await qualityList(pool, { offset: 0, limit: 500, problemsOnly: false });
    expect(summary.PASS + summary.WARN + summary.FAIL).toBe(checks.total);
    const problems = await qualityList(pool, { offset: 0, limit: 500, problemsOnly: true });
    expect(problems.total).toBe(summary.WARN + summary.FAIL);
    expect(problems.rows.every((q) => q.status !== 'PASS')).toBe(true);

    const batches = await batchList(pool, { offset: 0, limit: 2, problemsOnly: false });
    expect(batches.rows).toHaveLength(2);
    expect(batches.total).toBe((await pool.query('SELECT 1 FROM core_batches')).rowCount);
    const failed = await batchList(pool, { offset: 0, limit: 50, problemsOnly: true });
    expect(failed.rows.length).toBeGreaterThan(0);
    expect(failed.rows.every((b) => b.status === 'failed' || b.status === 'partial' || b.weeks_failed > 0)).toBe(true);
  });
});

describe('lag', () => {
  it('counts the source\'s lateness apart from ours, each from its own oldest week, with a row per missing partition', async () => {
    const lag = await lagOverview(pool, NOW, publication);
    const tier1 = lag.find((l) => l.tier === 'NMS_TIER_1' && l.venue_type === 'ATS')!;
    // 2025-12-12 was expected Monday 2025-12-29 14:00 UTC, 22 h before NOW; FINRA does not list it.
    expect(tier1.not_published).toEqual({ count: 1, oldest: '2025-12-12', late_hours: 22 });
    // The twelve due weeks less the two not ours (12-12 FINRA's, 12-05 loaded); the oldest, 2025-09-26, was due 2025-10-13 13:00 UTC.
    expect(tier1.not_loaded).toEqual({ count: 10, oldest: '2025-09-26', late_hours: 1871 });
    expect(tier1.missing.map((m) => m.week_ending)).toEqual(['2025-12-12', '2025-11-28', '2025-11-21', '2025-11-14', '2025-11-07', '2025-10-31', '2025-10-24', '2025-10-17', '2025-10-10', '2025-10-03', '2025-09-26']);
    expect(tier1.missing[0]).toMatchObject({ state: 'not_published', expected_at: '2025-12-29T14:00:00.000Z', late_hours: 22 });

    const failed = lag.find((l) => l.tier === 'OTC' && l.venue_type === 'NON_ATS')!;
    expect(failed.missing.find((m) => m.week_ending === '2025-11-21')?.state).toBe('failed');
    expect((await lagOverview(pool, NOW)).every((l) => l.not_published === null)).toBe(true);
  });
});
