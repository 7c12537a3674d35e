import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { writeWeekFile as writeSyntheticWeek } from '@spine/otc/synthetic/week-generator';
import { testPool, resetData } from '../support/database.ts';
import { writeWeekFile } from '../support/week-files.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(() => resetData(pool));

/** A capture's per-symbol results as readers see them, without the capture's identity and lineage. */
async function perSymbol(captureId: string): Promise<unknown[]> {
  const { rows } = await pool.query(
    `SELECT s.symbol, s.issue_name, s.total_volume, s.total_trades, s.venue_count, s.avg_trade_size, c.hhi, c.top_mpid,
            c.top_venue_share_pct, l.liquidity_score
       FROM otc_symbol_summary s
       JOIN otc_symbol_concentration c USING (capture_id, symbol)
       JOIN otc_liquidity_score l USING (capture_id, symbol)
      WHERE s.capture_id = $1 ORDER BY s.symbol`, [captureId]);
  return rows;
}

async function ingestMetrics(captureId: string): Promise<{ grouped_by_symbol: boolean; rejects_by_reason: Record<string, number> }> {
  const { rows } = await pool.query(`SELECT metrics->'otc_raw' AS m FROM core_manifest WHERE capture_id = $1 AND stage = 'ingest'`, [captureId]);
  return rows[0].m;
}

describe('per-symbol results: computed in the ingest stream or in SQL, the same', () => {
  it('gives identical summary, concentration and liquidity for a file grouped by symbol and the same lines out of order', async () => {
    const grouped = writeWeekFile([], 'grouped.psv');
    await writeSyntheticWeek(grouped, { tier: 'OTC', weekEnding: '2025-12-05', rows: 3000, seed: 7, rejectRate: 0.02 });
    const [header, ...lines] = readFileSync(grouped, 'utf8').trimEnd().split('\n');
    // The last symbol's lines first: every symbol keeps its own lines in their order, so the same line of each
    // repeated key comes first and the same first line names the issue.
    const lastSymbol = lines.at(-1)!.split('|')[1];
    const moved = [...lines.filter((l) => l.split('|')[1] === lastSymbol), ...lines.filter((l) => l.split('|')[1] !== lastSymbol)];
    const ungrouped = grouped.replace('grouped.psv', 'ungrouped.psv');
    writeFileSync(ungrouped, `${header}\n${moved.join('\n')}\n`);

    const a = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: grouped, maxRejectShare: 0.5 });
    const b = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: ungrouped, maxRejectShare: 0.5 });
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    const [ma, mb] = [await ingestMetrics(a.captureId), await ingestMetrics(b.captureId)];
    expect([ma.grouped_by_symbol, mb.grouped_by_symbol]).toEqual([true, false]);
    expect(ma.rejects_by_reason.DUPLICATE_KEY).toBeGreaterThan(0);
    expect(mb.rejects_by_reason).toEqual(ma.rejects_by_reason);
    const rows = await perSymbol(a.captureId);
    expect(rows.length).toBeGreaterThan(1000);
    expect(await perSymbol(b.captureId)).toEqual(rows);
  });
});
