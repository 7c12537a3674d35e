import { ROLLING_WEEKS, TREND_FLAT_BAND_PCT, TREND_MIN_WEEKS } from '../rolling-rules.ts';
import { clearAnchors, inputsCte } from './partition-inputs.ts';
import type { Calc } from './calc.ts';

/**
 * Rolling 6-week metrics per symbol as of the running week, and again for later weeks whose window includes it.
 * Only symbols present in the anchor week get a row; absent weeks are absent, not zero. One grouped pass over the
 * window's summaries (no join of each symbol back to its own history): the trend compares the means of the first
 * two and the last two present weeks, found by their positions in week order (only computed from
 * TREND_MIN_WEEKS = 4 weeks on, so both pairs exist and do not overlap).
 */
export const rolling6w: Calc = async (ctx) => {
  const { client } = ctx;
  const key = ctx.stage.key;
  // One sort of the window's rows by (anchor, symbol, week) serves the week positions and the grouping: the two
  // first and two last present weeks are found by position, without an ordered array per symbol.
  const { anchors, recomputed } = await clearAnchors(ctx, 'rolling', ROLLING_WEEKS - 1, 'otc_rolling_symbols');
  const { rowCount } = await client.query(
    `WITH ${inputsCte({ week: '$2', tier: '$3', venueType: '$8', capture: '$1', radius: '$5' })},
     keyed AS (SELECT i.week_ending, c.capture_id, c.capture_key FROM inputs i JOIN core_captures c USING (capture_id)),
     anchors AS (SELECT week_ending, capture_key FROM keyed WHERE capture_id = ANY($4)),
     win AS (
       SELECT a.capture_key AS anchor_capture, a.week_ending AS anchor_week, s.symbol, k.week_ending, s.total_volume, s.total_trades
         FROM anchors a
         JOIN keyed k ON k.week_ending BETWEEN a.week_ending - 7 * ($5::int - 1) AND a.week_ending
         JOIN otc_week_symbols s ON s.capture_key = k.capture_key),
     placed AS (
       SELECT *, row_number() OVER w AS pos, count(*) OVER (PARTITION BY anchor_capture, symbol) AS present
         FROM win WINDOW w AS (PARTITION BY anchor_capture, symbol ORDER BY week_ending)),
     ends AS (
       SELECT anchor_capture, symbol, count(*)::int AS weeks,
              avg(total_volume) AS mean_volume, min(total_volume) AS min_volume, max(total_volume) AS max_volume,
              avg(total_trades) AS mean_trades, min(total_trades) AS min_trades, max(total_trades) AS max_trades,
              avg(total_volume) FILTER (WHERE pos <= 2) AS first2, avg(total_volume) FILTER (WHERE pos > present - 2) AS last2
         FROM placed GROUP BY anchor_capture, symbol
       HAVING bool_or(week_ending = anchor_week)),
     trend AS (
       SELECT *, CASE WHEN weeks >= $6 AND first2 > 0 THEN (last2 - first2) / first2 * 100 END AS trend
         FROM ends)
     INSERT INTO otc_rolling_symbols (capture_key, symbol, weeks_in_window, is_complete, mean_volume,
       min_volume, max_volume, mean_trades, min_trades, max_trades, trend_pct, trend_direction)
     SELECT anchor_capture, symbol, weeks, weeks = $5, round(mean_volume, 2), min_volume, max_volume,
            round(mean_trades, 2), min_trades, max_trades, round(trend, 2),
            CASE WHEN trend IS NULL THEN NULL WHEN trend > $7 THEN 'UP' WHEN trend < -$7 THEN 'DOWN' ELSE 'FLAT' END
       FROM trend`,
    [key.captureId, key.weekEnding, key.tier, anchors, ROLLING_WEEKS, TREND_MIN_WEEKS, TREND_FLAT_BAND_PCT, key.venueType],
  );
  return { rows: rowCount ?? 0, metrics: { recomputed_weeks: recomputed } };
};
