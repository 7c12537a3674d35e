import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { mulberry32 } from '@spine/otc-synthetic/prng';
import { writeWeekFile as writeSyntheticWeek } from '@spine/otc-synthetic/week-generator';
import { testPool, resetData } from '../support/database.ts';
import { ingestMetrics, venueShareRows } from '../support/otc-capture.ts';
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
    const [ma, mb] = [await ingestMetrics(pool, a.captureId), await ingestMetrics(pool, b.captureId)];
    expect([ma.grouped_by_symbol, mb.grouped_by_symbol]).toEqual([true, false]);
    expect(ma.rejects_by_reason.DUPLICATE_KEY).toBeGreaterThan(0);
    expect(mb.rejects_by_reason).toEqual(ma.rejects_by_reason);
    const rows = await perSymbol(a.captureId);
    expect(rows.length).toBeGreaterThan(1000);
    expect(await perSymbol(b.captureId)).toEqual(rows);
  });

  it('gives the same tables in any order of the lines, grouped in memory or spilled to disk past a tiny bound', async () => {
    const finra = writeWeekFile([], 'finra.psv');
    await writeSyntheticWeek(finra, { tier: 'OTC', weekEnding: '2025-12-05', rows: 6000, seed: 11, rejectRate: 0.03 });
    const [header, ...lines] = readFileSync(finra, 'utf8').trimEnd().split('\n');
    const a = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: finra, maxRejectShare: 0.5 });
    const expected = { metrics: await ingestMetrics(pool, a.captureId), tables: await captureTables(a.captureId) };
    expect(expected.metrics).toMatchObject({ grouped_by_symbol: true, symbol_pass: 'stream' });
    expect(expected.metrics.rejects_by_reason.DUPLICATE_KEY).toBeGreaterThan(5);

    for (const order of ['first symbol last', 'by venue', 'shuffled'] as const) {
      const file = finra.replace('finra.psv', `${order.replaceAll(' ', '-')}.psv`);
      writeFileSync(file, `${header}\n${reorder(lines, order).join('\n')}\n`);
      for (const groupMemoryBytes of [undefined, 1]) {
        const b = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file, maxRejectShare: 0.5, force: true, groupMemoryBytes });
        const metrics = await ingestMetrics(pool, b.captureId);
        const where = `${order}, bound ${groupMemoryBytes ?? 'default'}`;
        expect(metrics, where).toMatchObject({ grouped_by_symbol: false, symbol_pass: 'grouped', rejects_by_reason: expected.metrics.rejects_by_reason,
          accepted: expected.metrics.accepted, symbols: expected.metrics.symbols });
        if (groupMemoryBytes === 1) expect(metrics.symbol_runs_spilled, where).toBeGreaterThan(3);
        else expect(metrics.symbol_runs_spilled, where).toBe(0);
        expect(await captureTables(b.captureId), where).toEqual(expected.tables);
      }
    }
    // With the smallest COPY queue every chunk is sent before ingest reads on: per-symbol rows go to the server between
    // the lines' COPYs, and when the order breaks near the end those already written are taken back.
    for (const file of [finra, finra.replace('finra.psv', 'first-symbol-last.psv')]) {
      const c = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file, maxRejectShare: 0.5, force: true, copyQueueBytes: 1 });
      expect((await ingestMetrics(pool, c.captureId)).symbols, file).toBe(expected.metrics.symbols);
      expect(await captureTables(c.captureId), file).toEqual(expected.tables);
    }
  });

  it("keeps the capture's newest lastUpdateDate of its stored lines, not a duplicate's, in FINRA's order and out of it", async () => {
    // The duplicate of AAA x NITE holds the newest date: rejected in the stream, or COPYed and taken back out.
    const lines = ['OTC|AAA|Aaa Inc.|Nite|NITE|100|2|2025-12-08', 'OTC|AAA|Aaa Inc.|Nite|NITE|5|1|2025-12-12',
      'OTC|BBB|Bbb Inc.|Nite|NITE|200|3|2025-12-09', 'OTC|CCC|Ccc Inc.|Nite|NITE|300|4|'];
    const newest = async (captureId: string) => (await pool.query(
      `SELECT to_char(c.finra_last_update_date, 'YYYY-MM-DD') AS stored, to_char(max(r.source_last_update_date), 'YYYY-MM-DD') AS lines
         FROM core_captures c JOIN otc_raw r USING (capture_id) WHERE c.capture_id = $1 GROUP BY c.finra_last_update_date`, [captureId])).rows[0];
    for (const order of [lines, [lines[3]!, lines[2]!, lines[0]!, lines[1]!]]) {
      const run = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(order), maxRejectShare: 0.5, force: true });
      expect((await ingestMetrics(pool, run.captureId)).rejects_by_reason).toEqual({ DUPLICATE_KEY: 1 });
      expect(await newest(run.captureId)).toEqual({ stored: '2025-12-09', lines: '2025-12-09' });
    }
  });
});

/**
 * A capture's tables without line numbers, which change with the order: per-symbol results, accepted lines, rejects,
 * and the venue share (from ingest's totals per venue, or from the lines where duplicates were taken back out of them).
 */
async function captureTables(captureId: string): Promise<Record<string, unknown[]>> {
  const lines = await pool.query(
    `SELECT symbol, issue_name, market_participant_name, mpid, total_weekly_share_quantity, total_weekly_trade_count, source_last_update_date
       FROM otc_raw WHERE capture_id = $1 ORDER BY 1, 2, 3, 4, 5, 6, 7`, [captureId]);
  const rejects = await pool.query(`SELECT reason_code, raw_line FROM core_rejects WHERE capture_id = $1 ORDER BY 1, 2`, [captureId]);
  return { perSymbol: await perSymbol(captureId), lines: lines.rows, rejects: rejects.rows, venueShare: await venueShareRows(pool, captureId) };
}

/**
 * The lines in another order, the lines of each symbol x MPID key still in theirs (so the same line of a repeated key
 * comes first, and the tables stay the same): the first symbol's lines last (the order breaks near the end, after the
 * stream has rejected duplicates), each venue's lines together, or shuffled.
 */
function reorder(lines: string[], order: 'first symbol last' | 'by venue' | 'shuffled'): string[] {
  const field = (line: string, i: number) => line.split('|')[i]!;
  if (order === 'first symbol last') {
    const first = field(lines[0]!, 1);
    return [...lines.filter((l) => field(l, 1) !== first), ...lines.filter((l) => field(l, 1) === first)];
  }
  if (order === 'by venue') return [...lines].sort((x, y) => (field(x, 4) < field(y, 4) ? -1 : field(x, 4) > field(y, 4) ? 1 : 0));
  const random = mulberry32(5);
  const positions = lines.map((_, i) => i);
  for (let i = positions.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [positions[i], positions[j]] = [positions[j]!, positions[i]!];
  }
  // Each key's lines take the places the shuffle gave them, in their own order.
  const byKey = new Map<string, number[]>();
  lines.forEach((line, i) => {
    const key = `${field(line, 1)}|${field(line, 4)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const shuffled: string[] = [];
  for (const indexes of byKey.values()) {
    const places = indexes.map((i) => positions[i]!).sort((x, y) => x - y);
    indexes.forEach((i, k) => (shuffled[places[k]!] = lines[i]!));
  }
  return shuffled;
}
