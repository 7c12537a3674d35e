import { loadPeriodCalendar, partitionKeys, weekStartDate, type DatasetDefinition, type Pool } from '@spine/platform';
import { expandWeeks, type WeekKey } from '@spine/orchestration';
import { GENERATED_MARKETS, writeDailyFiles } from '@spine/regsho-synthetic';
import { ATS_SEED } from './demo-fixtures.ts';

/** Symbols a generated trading day has per facility: the first of the NMS Tier 1 universe the OTC weeks draw on. */
const SYMBOLS = 200;

/**
 * The Reg SHO partitions of the demo's weeks: every trading day from the Monday of the first week to the last Friday,
 * per facility that publishes daily files, and those files written for the stand-in to serve (the same bytes on
 * every run, so a second demo finds every capture unchanged).
 */
export async function demoRegShoDays(pool: Pool, regsho: DatasetDefinition, fixturesDir: string, firstWeek: string, lastWeek: string): Promise<WeekKey[]> {
  const periods = await loadPeriodCalendar(pool, regsho.period);
  const days = periods.between(weekStartDate(firstWeek), lastWeek);
  await writeDailyFiles({ dir: fixturesDir, days, symbols: SYMBOLS, seed: ATS_SEED });  // the weeks' symbols, so the research join meets them
  const markets: readonly string[] = GENERATED_MARKETS;
  const [marketKey, implicit] = partitionKeys(regsho);
  return expandWeeks(marketKey.values.filter((code) => markets.includes(code)), days[0]!, days.at(-1)!, implicit.values, periods);
}

export interface RegShoDemoFigures {
  partitions: number;
  rows: number;
  symbol_weeks: number;
  /** Symbol-weeks of the research join with both sides: short volume beside OTC's ATS volume. */
  joined: number;
  /** Of those, the ones with an ATS share (the symbol has both ATS and non-ATS volume that week). */
  with_ats_share: number;
}

/** What the demo's Reg SHO batch loaded, and what the research join shows beside the OTC weeks. */
export async function regShoFigures(pool: Pool, batchId: string): Promise<RegShoDemoFigures> {
  const { rows } = await pool.query<RegShoDemoFigures>(
    `SELECT (SELECT count(*) FROM core_executions WHERE batch_id = $1 AND stage = 'week' AND status = 'completed')::int AS partitions,
            (SELECT count(*) FROM regsho_daily_volume_latest)::int AS rows,
            (SELECT count(*) FROM regsho_symbol_week_latest)::int AS symbol_weeks,
            (SELECT count(*) FROM research_symbol_week_latest WHERE ats_volume IS NOT NULL)::int AS joined,
            (SELECT count(*) FROM research_symbol_week_latest WHERE ats_share_pct IS NOT NULL)::int AS with_ats_share`,
    [batchId],
  );
  return rows[0]!;
}
