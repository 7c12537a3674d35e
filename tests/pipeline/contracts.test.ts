import { copyFileSync, appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { allContents, count } from '../support/tables.ts';
import { goldenWeeks, loadGolden, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(() => resetData(pool));

describe('idempotency, determinism, captures and concurrency', () => {
  it('re-running with --force leaves the same tables apart from audit fields; without it every stage is skipped', async () => {
    await loadGolden(pool);
    const first = await allContents(pool);
    expect(first.otc_symbol_summary!.length).toBeGreaterThan(0);
    await loadGolden(pool, goldenWeeks(), true);
    expect(await allContents(pool)).toEqual(first);

    const week = goldenWeeks()[0]!;
    const again = await runWeek(pool, { ...week, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(again.stages.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(await allContents(pool)).toEqual(first);
  });

  it('gives the same tables whatever order the weeks are loaded in', async () => {
    await loadGolden(pool);
    const forward = await allContents(pool);
    await resetData(pool);
    const reversed = goldenWeeks().reverse();
    // Interleave tiers differently too: newest first, tiers reversed.
    await loadGolden(pool, reversed);
    expect(await allContents(pool)).toEqual(forward);
  });

  it('keeps earlier captures queryable when a week is republished, and the latest views follow the new one', async () => {
    const week = goldenWeeks().find((w) => w.tier === 'NMS_TIER_1')!;
    const first = await runWeek(pool, { ...week, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const revised = join(mkdtempSync(join(tmpdir(), 'spine-rev-')), 'rev.psv');
    copyFileSync(week.file, revised);
    appendFileSync(revised, 'NMS Tier 1|NEWCO|New Co Inc|Venue|ZZZZ|12345|6|2025-12-29\n');
    const second = await runWeek(pool, { ...week, file: revised, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(second.revision).toBe(2);
    expect(second.captureId).not.toBe(first.captureId);
    expect(await count(pool, `SELECT 1 FROM otc_symbol_summary WHERE capture_id = $1`, [first.captureId])).toBeGreaterThan(0);
    expect(await count(pool, `SELECT 1 FROM otc_symbol_summary_latest WHERE symbol = 'NEWCO'`)).toBe(1);
    expect(await count(pool, `SELECT DISTINCT capture_id FROM otc_symbol_summary_latest`)).toBe(1);
    const latest = (await pool.query(`SELECT DISTINCT capture_id FROM otc_research_snapshot_latest`)).rows;
    expect(latest).toEqual([{ capture_id: second.captureId }]);
  });

  it('re-running a week leaves alone the windows of a later week whose newer revision is still in the pipeline', async () => {
    const [earlier, later] = goldenWeeks().filter((w) => w.tier === 'NMS_TIER_1').sort((a, b) => a.weekEnding.localeCompare(b.weekEnding));
    await runWeek(pool, { ...earlier!, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const first = await runWeek(pool, { ...later!, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const revised = join(mkdtempSync(join(tmpdir(), 'spine-rev-')), 'rev.psv');
    copyFileSync(later!.file, revised);
    appendFileSync(revised, 'NMS Tier 1|NEWCO|New Co Inc|Venue|ZZZZ|12345|6|2025-12-29\n');
    const second = await runWeek(pool, { ...later!, file: revised, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    // The revision stands as if its worker were still between aggregate and rolling.
    await pool.query(`DELETE FROM core_manifest WHERE capture_id = $1 AND stage IN ('rolling', 'snapshot')`, [second.captureId]);
    const secondKey = `(SELECT capture_key FROM core_captures WHERE capture_id = $1)`;
    await pool.query(`DELETE FROM otc_rolling_windows WHERE capture_key = ${secondKey}`, [second.captureId]);
    await pool.query(`DELETE FROM core_calc_lineage WHERE capture_key = ${secondKey} AND calc_name IN ('otc_symbol_rolling_6w', 'otc_research_snapshot')`, [second.captureId]);
    const rowsOfFirst = async () => ({
      rolling: await count(pool, 'SELECT 1 FROM otc_symbol_rolling_6w WHERE capture_id = $1', [first.captureId]),
      snapshot: await count(pool, 'SELECT 1 FROM otc_research_snapshot WHERE capture_id = $1', [first.captureId]),
    });
    const before = await rowsOfFirst();
    expect(before.rolling).toBeGreaterThan(0);

    await runWeek(pool, { ...earlier!, maxRejectShare: GOLDEN_MAX_REJECT_SHARE, force: true });
    expect(await rowsOfFirst()).toEqual(before);
  });

  it('never interleaves two concurrent runs of the same week x tier', async () => {
    const week = goldenWeeks().find((w) => w.tier === 'OTC')!;
    const [a, b] = await Promise.all([
      runWeek(pool, { ...week, maxRejectShare: GOLDEN_MAX_REJECT_SHARE }),
      runWeek(pool, { ...week, maxRejectShare: GOLDEN_MAX_REJECT_SHARE }),
    ]);
    expect(a.captureId).toBe(b.captureId);
    const statuses = [a, b].map((r) => r.stages.map((s) => s.status).join(','));
    expect(statuses.sort()).toEqual(['completed,completed,completed,completed,completed', 'skipped,skipped,skipped,skipped,skipped']);
    // The second run's first stage started only after the first run's last stage finished.
    const { rows } = await pool.query(
      `SELECT batch_id, min(started_at) AS first_start, max(finished_at) AS last_finish FROM core_executions
        WHERE stage <> 'week' GROUP BY batch_id ORDER BY min(started_at)`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[1].first_start.getTime()).toBeGreaterThanOrEqual(rows[0].last_finish.getTime());
  });

  it('stamps lineage on every execution and every row', async () => {
    const week = goldenWeeks()[0]!;
    const result = await runWeek(pool, { ...week, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const executions = (await pool.query(`SELECT execution_id, parent_execution_id, stage, status FROM core_executions WHERE batch_id = $1`, [result.batchId])).rows;
    expect(executions).toHaveLength(6);
    const root = executions.find((e) => e.stage === 'week');
    expect(root.parent_execution_id).toBeNull();
    for (const e of executions.filter((x) => x.stage !== 'week')) expect(e.parent_execution_id).toBe(root.execution_id);
    for (const table of ['otc_raw', 'otc_venue_volume', 'otc_symbol_summary', 'otc_research_snapshot']) {
      const bad = await count(pool, `SELECT 1 FROM ${table} t LEFT JOIN core_executions e USING (execution_id)
        WHERE e.execution_id IS NULL OR t.batch_id <> $1 OR t.capture_id <> $2`, [result.batchId, result.captureId]);
      expect(bad, table).toBe(0);
    }
    const stamped = (await pool.query(`SELECT DISTINCT calc_name, calc_version FROM otc_symbol_summary`)).rows;
    expect(stamped).toEqual([{ calc_name: 'otc_symbol_summary', calc_version: 1 }]);
  });
});
