import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { datasets } from '@spine/datasets';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { loadPeriodCalendar, type Pool } from '@spine/platform';
import type { RequestedWeek } from '@spine/orchestration';
import { GENERATED_MARKETS, writeDailyFiles } from '@spine/regsho-synthetic';
import { resetData, testPool } from '../support/database.ts';
import { GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { TestCluster } from '../support/cluster.ts';
import { runSpine } from '../support/spine-cli.ts';
import { count, tableContents } from '../support/tables.ts';

/**
 * Issue 25's "reconcile after Redis loss" for Reg SHO, as tests/cluster/reconcile.test.ts proves it for OTC: a backfill
 * of four trading days (the week of the 2025-01-09 closure) x the four facilities the generated days have files of,
 * through FINRA's stand-in, whose Redis keys are all lost while it runs.
 */
const pool: Pool = testPool();
const cluster = new TestCluster();
const fixtures = mkdtempSync(join(tmpdir(), 'spine-regsho-reconcile-'));
let standIn: FinraStandIn;
let partitions: RequestedWeek[];

beforeAll(async () => {
  const periods = await loadPeriodCalendar(pool, datasets.get('regsho').period);
  const days = periods.between('2025-01-06', '2025-01-10');
  await writeDailyFiles({ dir: fixtures, days, symbols: 40, seed: 25 });
  standIn = await startFinraStandIn({ fixturesDir: fixtures, logger: pino({ level: 'silent' }), today: () => '2025-02-03' });
  await cluster.start({ FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl });
  await resetData(pool);
  partitions = days.flatMap((week_ending) => GENERATED_MARKETS.map((tier) => ({ tier, week_ending })));
});
afterAll(async () => {
  await cluster.stop();
  await standIn?.close();
  rmSync(fixtures, { recursive: true, force: true });
  await pool.end();
});

const backfill = () => cluster.enqueue(pool, { dataset: 'regsho', kind: 'backfill', weeks: partitions, source: 'finra', force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
const ingested = () => count(pool, `SELECT 1 FROM core_manifest WHERE domain = 'regsho' AND stage = 'ingest' AND status = 'completed'`);

/** Rows of a query, in a stable order. */
async function rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await pool.query(`${sql} ORDER BY 1, 2, 3`, params)).rows;
}

/**
 * What a Reg SHO backfill leaves, without what two runs of the same partitions cannot share: execution and batch ids,
 * capture keys (a sequence, in the order captures happened to be taken) and times. Capture ids name the content.
 */
async function regshoState(batchId: string) {
  return {
    lines: await rows(`SELECT c.capture_id, l.symbol, l.line_number, l.short_volume::text, l.short_exempt_volume::text, l.total_volume::text
                         FROM regsho_daily_lines l JOIN core_captures c USING (capture_key)`),
    daily_volume_latest: await tableContents(pool, 'regsho_daily_volume_latest'),
    symbol_daily_latest: await rows(`SELECT trade_date::text, symbol, short_volume::text, short_exempt_volume::text, total_volume::text, short_ratio::text,
                                            short_exempt_share::text, market_codes, capture_ids
                                       FROM regsho_symbol_daily_latest`),
    rolling_20d_latest: await tableContents(pool, 'regsho_symbol_rolling_20d_latest'),
    symbol_week_latest: await tableContents(pool, 'regsho_symbol_week_latest'),
    research_symbol_week_latest: await tableContents(pool, 'research_symbol_week_latest'),
    captures: await rows(`SELECT period_end::text AS week_ending, key_1 AS tier, key_2 AS venue_type, capture_id, source_sha256, source_uri, revision, published_on::text
                            FROM core_captures WHERE domain = 'regsho'`),
    manifest: await rows(`SELECT period_end::text AS week_ending, key_1 AS tier, key_2 AS venue_type, stage, capture_id, status, row_count FROM core_manifest WHERE domain = 'regsho'`),
    readiness: await rows(`SELECT period_end::text AS week_ending, key_1 AS tier, key_2 AS venue_type, status, capture_id FROM core_data_readiness WHERE domain = 'regsho'`),
    weeks: await rows(`SELECT period_end::text AS week_ending, key_1 AS tier, key_2 AS venue_type, status, error FROM core_executions WHERE batch_id = $1 AND stage = 'week'`, [batchId]),
    batch: (await pool.query(`SELECT kind, domain, status, weeks_total, close_reason FROM core_batches WHERE batch_id = $1`, [batchId])).rows,
  };
}

describe('the reconciler, for Reg SHO', () => {
  it('restores a backfill of trading days x facilities after Redis lost every key mid-run: same tables as an undisturbed run, and a second run changes nothing', async () => {
    const steady = await cluster.spawnWorker();
    const first = await backfill();
    expect(first.enqueued).toHaveLength(16);
    expect(await cluster.waitForBatch(pool, first.batch_id!, 30_000)).toMatchObject({ status: 'completed', weeks_done: 16, weeks_failed: 0 });
    const undisturbed = await regshoState(first.batch_id!);
    expect(undisturbed.lines.length).toBeGreaterThan(0);
    expect(undisturbed.readiness).toHaveLength(16);
    await steady.stop();
    await resetData(pool);

    // One fetch at a time, each answer slowed, so the worker dies with some partitions ingested and others not.
    standIn.faults.set({ kind: 'slow', delayMs: 150 });
    const doomed = await cluster.spawnWorker([], { WORKER_FETCH_CONCURRENCY: '1' });
    const batch = await backfill();
    await expect.poll(ingested, { timeout: 30_000, interval: 50 }).toBeGreaterThan(2);
    await doomed.stop('SIGKILL');
    standIn.faults.set(null);
    expect(await ingested()).toBeLessThan(16);
    expect(await cluster.flushRedis()).toBeGreaterThan(0);

    // Every series' window job is re-created, with the chains of the partitions that had not ended, named by
    // facility and trading day (the dataset's one key and its period).
    const { rows: unfinished } = await pool.query<{ name: string }>(
      `SELECT key_1 || ' ' || to_char(period_end, 'YYYY-MM-DD') AS name FROM core_executions
        WHERE batch_id = $1 AND stage = 'week' AND status = 'running' ORDER BY key_1, period_end`, [batch.batch_id]);
    const planned = await cluster.reconcile(pool, true);
    const detail = `finalize-batch with window jobs of B, D, N, Q re-created (trading days: ${unfinished.map((r) => r.name).join(', ')})`;
    expect(planned).toEqual({
      dry_run: true, batches_checked: 1,
      actions: [{ batch_id: batch.batch_id, dataset: 'regsho', action: 'recreate_finalize', job_id: `batch-${batch.batch_id}`, detail }],
    });
    const cli = await runSpine(['reconcile', '--dry-run'], cluster.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain('1 open batch(es) checked; would take 1 action(s)');
    expect(cli.stdout.split('\n').find((line) => line.includes(batch.batch_id!))?.split('│').map((cell) => cell.trim()).filter(Boolean))
      .toEqual([batch.batch_id, 'regsho', 'recreate_finalize', `batch-${batch.batch_id}`, detail]);
    const applied = await cluster.reconcile(pool);
    expect(applied.actions).toEqual(planned.actions);
    expect(await cluster.reconcile(pool, true)).toEqual({ dry_run: true, batches_checked: 1, actions: [] });

    const rescuer = await cluster.spawnWorker();
    expect(await cluster.waitForBatch(pool, batch.batch_id!, 30_000)).toMatchObject({ status: 'completed', weeks_done: 16, weeks_failed: 0 });
    expect(await regshoState(batch.batch_id!)).toEqual(undisturbed);
    expect(await cluster.reconcile(pool, true)).toEqual({ dry_run: true, batches_checked: 0, actions: [] });
    await rescuer.stop();
  }, 60_000);
});
