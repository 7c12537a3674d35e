import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { runPartition } from '@spine/platform';
import { DAILY_HEADER, regshoDataset } from '@spine/regsho';
import { resetData, testPool } from '../support/database.ts';
import { writeOtcWeekFile } from '../support/otc-week-file.ts';

/**
 * The Reg SHO views and the research join against figures computed by hand. The week ending 2025-01-10 has four
 * trading days (2025-01-09 was an unscheduled closure); facilities N and Q; symbols AAA, BBB, CCC; OTC's NMS Tier 1
 * week of the same Friday loaded beside it (ATS and non-ATS). Then Q's file of 2025-01-08 and OTC's non-ATS week are
 * revised, and the join follows both at once.
 */
const pool = testPool();
const dir = mkdtempSync(join(tmpdir(), 'regsho-golden-'));
const WEEK = '2025-01-10';

/** One facility's daily file: its lines as `symbol|short|exempt|total`. */
function dailyFile(name: string, market: string, day: string, lines: string[]): string {
  const file = join(dir, name);
  const compact = day.replaceAll('-', '');
  writeFileSync(file, [DAILY_HEADER, ...lines.map((l) => `${compact}|${l}|${market}`), String(lines.length)].join('\n') + '\n');
  return file;
}
const loadDay = (market: string, day: string, lines: string[], name = `${market}-${day}.txt`) =>
  runPartition(pool, regshoDataset, { key1: market, periodEnd: day, file: dailyFile(name, market, day, lines), maxRejectShare: 0 });

const otcFile = (name: string, venueType: 'ATS' | 'NON_ATS', lines: string[]) => writeOtcWeekFile(dir, name, venueType, lines);
const loadOtc = (venueType: 'ATS' | 'NON_ATS', lines: string[], name = `otc-${venueType}.psv`) =>
  runWeek(pool, { tier: 'NMS_TIER_1', weekEnding: WEEK, venueType, file: otcFile(name, venueType, lines), maxRejectShare: 0 });

const research = async () => (await pool.query(
  `SELECT symbol, trading_days, short_volume::text, short_exempt_volume::text, total_volume::text, short_ratio::text,
          ats_volume::text, non_ats_volume::text, ats_share_pct::text
     FROM research_symbol_week_latest WHERE week_ending = $1 ORDER BY symbol`, [WEEK])).rows;

beforeAll(async () => {
  await resetData(pool);
  await loadDay('N', '2025-01-06', ['AAA|100|10|400', 'BBB|50|0|200']);
  await loadDay('N', '2025-01-07', ['AAA|200|0|500', 'CCC|30|3|60']);
  await loadDay('N', '2025-01-08', ['AAA|150.5|0|300', 'BBB|25|5|100']);
  await loadDay('N', '2025-01-10', ['AAA|100|0|200']);
  await loadDay('Q', '2025-01-06', ['AAA|60|0|100', 'BBB|10|0|50']);
  await loadDay('Q', '2025-01-07', []);
  await loadDay('Q', '2025-01-08', ['AAA|40|0|200']);
  await loadDay('Q', '2025-01-10', ['BBB|20|0|50']);
  await loadOtc('ATS', ['AAA|AAA Corp|Venue One|VONE|1000|10', 'AAA|AAA Corp|Venue Two|VTWO|500|5', 'BBB|BBB Corp|Venue One|VONE|300|3', 'CCC|CCC Corp|Venue One|VONE|100|1']);
  await loadOtc('NON_ATS', ['AAA|AAA Corp|Dealer One|DONE|500|5', 'BBB|BBB Corp|Dealer One|DONE|700|7']);
});
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('Reg SHO views and the research join (hand-computed)', () => {
  it('sums a symbol\'s facilities per day, with its ratios and the captures read', async () => {
    const { rows } = await pool.query(
      `SELECT symbol, short_volume::text, total_volume::text, short_ratio::text, short_exempt_share::text, market_codes
         FROM regsho_symbol_daily_latest WHERE trade_date = '2025-01-06' ORDER BY symbol`);
    expect(rows).toEqual([
      // AAA: N 100 + Q 60 = 160 of 400 + 100 = 500; exempt 10 / 160.
      { symbol: 'AAA', short_volume: '160', total_volume: '500', short_ratio: '0.320000', short_exempt_share: '0.062500', market_codes: ['N', 'Q'] },
      // BBB: 50 + 10 = 60 of 200 + 50 = 250.
      { symbol: 'BBB', short_volume: '60', total_volume: '250', short_ratio: '0.240000', short_exempt_share: '0.000000', market_codes: ['N', 'Q'] },
    ]);
  });

  it('averages the short ratio over the 20 trading days ending on the day, counting back over the closures', async () => {
    const { rows } = await pool.query(
      `SELECT to_char(window_start, 'YYYY-MM-DD') AS window_start, days_in_window, is_complete, avg_short_ratio::text
         FROM regsho_symbol_rolling_20d_latest WHERE symbol = 'AAA' AND trade_date = $1`, [WEEK]);
    // 20 trading days back from 2025-01-10 skip 2025-01-09, 2025-01-01 and 2024-12-25: the window opens 2024-12-11.
    // AAA's days: 160/500 = 0.32, 200/500 = 0.4, (150.5 + 40)/500 = 0.381, 100/200 = 0.5; mean 1.601 / 4.
    expect(rows).toEqual([{ window_start: '2024-12-11', days_in_window: 4, is_complete: false, avg_short_ratio: '0.400250' }]);
  });

  it('joins the week\'s short volume per symbol to OTC\'s ATS and non-ATS volume of the same Friday', async () => {
    expect(await research()).toEqual([
      // AAA: short 100 + 200 + 150.5 + 100 + 60 + 40 = 650.5, exempt 10, total 400 + 500 + 300 + 200 + 100 + 200 = 1700, on
      // 4 days; OTC: ATS 1000 + 500, non-ATS 500, share 1500 / 2000.
      { symbol: 'AAA', trading_days: 4, short_volume: '650.5', short_exempt_volume: '10', total_volume: '1700', short_ratio: '0.382647',
        ats_volume: '1500', non_ats_volume: '500', ats_share_pct: '75.0000' },
      // BBB: short 50 + 25 + 10 + 20 = 105 of 200 + 100 + 50 + 50 = 400 on 3 days (06, 08, 10); share 300 / 1000.
      { symbol: 'BBB', trading_days: 3, short_volume: '105', short_exempt_volume: '5', total_volume: '400', short_ratio: '0.262500',
        ats_volume: '300', non_ats_volume: '700', ats_share_pct: '30.0000' },
      // CCC: one day; OTC has it on ATS only: no non-ATS volume, so no share.
      { symbol: 'CCC', trading_days: 1, short_volume: '30', short_exempt_volume: '3', total_volume: '60', short_ratio: '0.500000',
        ats_volume: '100', non_ats_volume: null, ats_share_pct: null },
    ]);
  });

  it('follows a revised facility file and a revised OTC week at once', async () => {
    const revisedDay = await loadDay('Q', '2025-01-08', ['AAA|140|0|300'], 'Q-2025-01-08-revised.txt');
    expect(revisedDay).toMatchObject({ status: 'completed', revision: 2 });
    const revisedWeek = await loadOtc('NON_ATS', ['AAA|AAA Corp|Dealer One|DONE|1500|15', 'BBB|BBB Corp|Dealer One|DONE|700|7'], 'otc-NON_ATS-revised.psv');
    expect(revisedWeek).toMatchObject({ status: 'completed', revision: 2 });
    const [aaa] = await research();
    // AAA: short 650.5 - 40 + 140 = 750.5 of 1700 - 200 + 300 = 1800; OTC: 1500 / (1500 + 1500).
    expect(aaa).toEqual({ symbol: 'AAA', trading_days: 4, short_volume: '750.5', short_exempt_volume: '10', total_volume: '1800', short_ratio: '0.416944',
      ats_volume: '1500', non_ats_volume: '1500', ats_share_pct: '50.0000' });
    const { rows: [lineage] } = await pool.query<{ regsho: boolean; otc: boolean }>(
      `SELECT $2 = ANY (regsho_capture_ids) AS regsho, $3 = ANY (otc_capture_ids) AS otc FROM research_symbol_week_latest WHERE week_ending = $1 AND symbol = 'AAA'`,
      [WEEK, revisedDay.captureId, revisedWeek.captureId]);
    expect(lineage).toEqual({ regsho: true, otc: true });
  });
});
