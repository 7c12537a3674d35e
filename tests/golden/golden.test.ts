import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { loadGolden } from '../support/golden.ts';
import { GOLDEN } from './expected.ts';

const pool = testPool();
beforeAll(async () => {
  await resetData(pool);
  await loadGolden(pool);
});
afterAll(() => pool.end());

/** Rows of a *_latest view as plain objects with the given columns, week_ending as text. */
async function rows(table: string, columns: string[], where = 'true'): Promise<Record<string, unknown>[]> {
  const list = columns.map((c) => (c === 'week_ending' ? 'week_ending::text AS week_ending' : c)).join(', ');
  return (await pool.query(`SELECT ${list} FROM ${table}_latest WHERE ${where} ORDER BY week_ending, tier, ${columns.includes('symbol') ? 'symbol' : 'mpid'}`)).rows;
}

const sortRows = <T extends { week_ending: string; tier: string }>(list: readonly T[], key: keyof T) =>
  [...list].sort((a, b) => `${a.week_ending}|${a.tier}|${String(a[key])}`.localeCompare(`${b.week_ending}|${b.tier}|${String(b[key])}`));

describe('golden fixture: hand-computed numbers for every table', () => {
  it('accounts for every line: accepted rows and rejects with their codes and line numbers', async () => {
    for (const week of GOLDEN.ingest) {
      const where = [week.week_ending, week.tier];
      const accepted = (await pool.query(`SELECT count(*)::int AS n FROM otc_raw_latest WHERE week_ending = $1 AND tier = $2`, where)).rows[0].n;
      const rejects = (await pool.query(`SELECT r.reason_code, r.line_number FROM core_rejects r JOIN otc_latest_captures c USING (capture_id)
          WHERE c.week_ending = $1 AND c.tier = $2 ORDER BY r.line_number`, where)).rows;
      const byCode: Record<string, number[]> = {};
      for (const r of rejects) (byCode[r.reason_code] ??= []).push(r.line_number);
      expect({ accepted, rejects: byCode }, `${week.tier} ${week.week_ending}`).toEqual({ accepted: week.accepted, rejects: week.rejects });
      expect(accepted + rejects.length).toBe(week.data_lines);
    }
  });

  it('otc_symbol_summary', async () => {
    expect(await rows('otc_symbol_summary', ['week_ending', 'tier', 'symbol', 'issue_name', 'total_volume', 'total_trades', 'venue_count', 'avg_trade_size']))
      .toEqual(sortRows(GOLDEN.otc_symbol_summary, 'symbol'));
  });

  it('otc_venue_share', async () => {
    expect(await rows('otc_venue_share', ['week_ending', 'tier', 'mpid', 'market_participant_name', 'total_volume', 'total_trades', 'symbol_count', 'market_share_pct', 'volume_rank']))
      .toEqual(sortRows(GOLDEN.otc_venue_share, 'mpid'));
  });

  it('otc_symbol_concentration', async () => {
    expect(await rows('otc_symbol_concentration', ['week_ending', 'tier', 'symbol', 'venue_count', 'hhi', 'top_mpid', 'top_venue_share_pct']))
      .toEqual(sortRows(GOLDEN.otc_symbol_concentration, 'symbol'));
  });

  it('otc_liquidity_score', async () => {
    expect(await rows('otc_liquidity_score', ['week_ending', 'tier', 'symbol', 'avg_trade_size', 'venue_count', 'liquidity_score']))
      .toEqual(sortRows(GOLDEN.otc_liquidity_score, 'symbol'));
  });

  it('otc_symbol_rolling_6w', async () => {
    const weeks = GOLDEN.rollingWeeks.map((w) => `'${w}'`).join(', ');
    expect(await rows('otc_symbol_rolling_6w', ['week_ending', 'tier', 'symbol', 'weeks_in_window', 'is_complete', 'mean_volume', 'min_volume', 'max_volume',
      'mean_trades', 'min_trades', 'max_trades', 'trend_pct', 'trend_direction'], `week_ending IN (${weeks})`)).toEqual(sortRows(GOLDEN.otc_symbol_rolling_6w, 'symbol'));
  });

  it('core_quality: every check for every week x tier, and exactly the expected non-PASS verdicts', async () => {
    const all = (await pool.query(`SELECT q.period_end::text AS week_ending, q.key_1 AS tier, q.check_name, q.status FROM core_quality q
        JOIN otc_latest_captures c USING (capture_id) ORDER BY 1, 2, 3`)).rows;
    expect(all).toHaveLength(GOLDEN.qualityRowCount);
    expect(new Set(all.map((r) => r.check_name))).toEqual(new Set(GOLDEN.qualityCheckNames));
    const key = (r: { week_ending: string; tier: string; check_name: string }) => `${r.week_ending}|${r.tier}|${r.check_name}`;
    expect(all.filter((r) => r.status !== 'PASS').map((r) => ({ ...r })).sort((a, b) => key(a).localeCompare(key(b))))
      .toEqual([...GOLDEN.core_quality_non_pass].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('otc_research_snapshot (selected rows)', async () => {
    for (const expected of GOLDEN.otc_research_snapshot) {
      const [actual] = await rows('otc_research_snapshot', Object.keys(expected), `week_ending = '${expected.week_ending}' AND tier = '${expected.tier}' AND symbol = '${expected.symbol}'`);
      expect(actual, `${expected.tier} ${expected.week_ending} ${expected.symbol}`).toEqual(expected);
    }
  });

  it('the legacy format file', async () => {
    const legacy = GOLDEN.legacy;
    await resetData(pool);
    const file = fileURLToPath(new URL(`../../${legacy.file}`, import.meta.url));
    const result = await runWeek(pool, { tier: legacy.tier, weekEnding: legacy.week_ending, file, maxRejectShare: GOLDEN.maxRejectShare });
    expect(result.status).toBe('completed');
    const accepted = (await pool.query(`SELECT count(*)::int AS n FROM otc_raw`)).rows[0].n;
    const rejects = (await pool.query(`SELECT reason_code, line_number FROM core_rejects ORDER BY line_number`)).rows;
    const byCode: Record<string, number[]> = {};
    for (const r of rejects) (byCode[r.reason_code] ??= []).push(r.line_number);
    expect({ accepted, rejects: byCode }).toEqual({ accepted: legacy.accepted, rejects: legacy.rejects });
  });
});
