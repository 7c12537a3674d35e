import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';
import { VENUE_TYPES } from '@spine/otc';
import { expandWeeks } from '@spine/orchestration';
import { resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';
import { runSpine } from '../support/spine-cli.ts';

const { pool, cluster } = useTestCluster();
const ADMIN_PASSWORD = 'admin-password-lineage';
let dashboard: SpineChild;
let batchId = '';

/**
 * Which stage writes each output table (a table or a view of the stored rows), by hand from the README's pipeline.
 * A table or view the schema gains fails the first test until it is added here or to STORED_BEHIND_VIEWS, so no
 * output table goes unchecked.
 */
const WRITTEN_BY: Record<string, string> = {
  otc_raw: 'ingest', otc_venue_volume: 'normalize', otc_symbol_summary: 'aggregate', otc_venue_share: 'aggregate',
  otc_symbol_concentration: 'aggregate', otc_liquidity_score: 'aggregate', otc_symbol_rolling_6w: 'rolling', otc_research_snapshot: 'snapshot',
  otc_symbol_ats_share: 'aggregate',
};
/** The stored rows the views above read, lineage joined from core_calc_lineage: checked through the views. */
const STORED_BEHIND_VIEWS = ['otc_ats_share_pairs', 'otc_ats_share_symbols', 'otc_concentration_v2_symbols', 'otc_rolling_windows', 'otc_week_lines', 'otc_week_symbols'];
/** Ingest's totals per venue, which otc_venue_share is summed from: checked through it. */
const CALCULATION_INPUTS = ['otc_week_venues'];
/** Each major version's rows whether or not it is current (docs/calculations.md; tests/pipeline/calc-versions.test.ts). */
const VERSION_VIEWS = ['otc_symbol_concentration_v1', 'otc_symbol_concentration_v2'];
/** The rows, without figures, of the views that compute theirs when read: what each run's row-count check counts. */
const ROW_COUNT_VIEWS = ['otc_research_snapshot_rows', 'otc_symbol_rolling_6w_rows'];

beforeAll(async () => {
  await resetData(pool);
  await cluster.spawnWorker();
  // Six ATS weeks of Tier 1, and OTC 2025-12-05 in both venue types so that the ATS share has rows too.
  const weeks = [...expandWeeks(['NMS_TIER_1'], '2025-10-31', '2025-12-05', ['ATS']), ...expandWeeks(['OTC'], '2025-12-05', '2025-12-05', VENUE_TYPES)];
  const result = await cluster.enqueue(pool, { kind: 'backfill', weeks, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
  batchId = result.batch_id!;
  expect(await cluster.waitForBatch(pool, batchId)).toMatchObject({ status: 'completed', weeks_done: 8 });
  dashboard = await spawnSpine(['dashboard', '--port', '0'], { ...process.env, ...cluster.env, DASHBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD }, { startedMessage: 'dashboard started' });
});
afterAll(() => dashboard?.stop());

describe('lineage of a backfill through the worker cluster', () => {
  it('names, on every row of every output table, the execution, batch and capture that wrote it, and when', async () => {
    const { rows: tables } = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
      AND table_name LIKE 'otc\\_%' AND table_name NOT LIKE '%\\_latest' AND table_name <> 'otc_latest_captures' ORDER BY 1`);
    expect(tables.map((t) => t.table_name)).toEqual([...Object.keys(WRITTEN_BY), ...STORED_BEHIND_VIEWS, ...CALCULATION_INPUTS, ...VERSION_VIEWS, ...ROW_COUNT_VIEWS].sort());
    for (const [table, stage] of Object.entries(WRITTEN_BY)) {
      expect(await count(pool, `SELECT 1 FROM ${table}`), table).toBeGreaterThan(0);
      // Every row's execution is a completed run of the stage that writes the table, in this batch, for the row's
      // capture, and the row was captured while that execution ran (captured_at is kept to the millisecond).
      const unexplained = await count(pool, `SELECT 1 FROM ${table} r LEFT JOIN core_executions e ON e.execution_id = r.execution_id
        AND e.batch_id = r.batch_id AND e.capture_id = r.capture_id AND e.stage = $1 AND e.status = 'completed'
        AND r.captured_at BETWEEN date_trunc('milliseconds', e.started_at) AND e.finished_at
        WHERE e.execution_id IS NULL OR r.batch_id <> $2`, [stage, batchId]);
      expect(unexplained, `${table} rows without their ${stage} execution`).toBe(0);
    }
  });

  it('names on every derived row the calculation and version that produced it', async () => {
    for (const table of Object.keys(WRITTEN_BY).filter((t) => t !== 'otc_raw')) {
      const { rows } = await pool.query(`SELECT DISTINCT calc_name, calc_version::text AS calc_version FROM ${table}`);
      expect(rows, table).toEqual([{ calc_name: table, calc_version: '1' }]);
    }
  });

  it('carries one correlation_id, the batch execution\'s, on every execution of the batch', async () => {
    const { rows } = await pool.query(`SELECT DISTINCT e.correlation_id::text = b.execution_id::text AS same FROM core_executions e
      JOIN core_executions b ON b.batch_id = e.batch_id AND b.stage = 'batch' WHERE e.batch_id = $1`, [batchId]);
    expect(rows).toEqual([{ same: true }]);
    expect(await count(pool, `SELECT 1 FROM core_executions WHERE batch_id = $1 AND stage = 'batch'`, [batchId])).toBe(1);
    expect(await count(pool, `SELECT 1 FROM core_executions WHERE batch_id = $1 AND correlation_id IS NULL`, [batchId])).toBe(0);
  });

  it('spine lineage <execution_id> and /api/lineage/<execution_id> show the tree below that execution only', async () => {
    const week = (await pool.query(`SELECT execution_id FROM core_executions WHERE batch_id = $1 AND stage = 'week' AND period_end = '2025-11-14'`, [batchId])).rows[0].execution_id;
    const below = (await pool.query(`SELECT stage FROM core_executions WHERE parent_execution_id = $1 ORDER BY stage`, [week])).rows.map((r) => r.stage);
    expect(below.length).toBeGreaterThan(0);

    const text = await runSpine(['lineage', week], cluster.env);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toBe(`batch ${batchId}`);
    expect(lines[1]).toMatch(new RegExp(`^week \\[completed\\] NMS_TIER_1 ATS 2025-11-14 .*${week}$`));
    // Only this week's executions: its own line and one per child, every one for 2025-11-14.
    expect(lines.slice(2).map((l) => /(?:├─|└─) (\w+) \[/.exec(l)?.[1]).sort()).toEqual(below);
    expect(lines.slice(1).every((l) => l.includes('NMS_TIER_1 ATS 2025-11-14'))).toBe(true);

    const res = await fetch(`${/"url":"(http:[^"]+)"/.exec(dashboard.output())![1]}/api/lineage/${week}`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    const tree = (await res.json()) as { batchId: string; roots: { execution_id: string; children: { stage: string }[] }[] };
    expect(tree.batchId).toBe(batchId);
    expect(tree.roots.map((r) => r.execution_id)).toEqual([week]);
    expect(tree.roots[0]!.children.map((c) => c.stage).sort()).toEqual(below);
    const missing = await fetch(`${/"url":"(http:[^"]+)"/.exec(dashboard.output())![1]}/api/lineage/00000000-0000-0000-0000-000000000000`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    });
    expect(missing.status).toBe(404);
  });
});
