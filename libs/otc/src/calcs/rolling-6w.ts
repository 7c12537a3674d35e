import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { ROLLING_WEEKS, TREND_FLAT_BAND_PCT, TREND_MIN_WEEKS } from '../rolling-rules.ts';
import { stampAnchors, inputsCte } from './partition-inputs.ts';
import type { Calc } from './calc.ts';

/**
 * Rolling 6-week metrics per symbol as of the running week, and again for later weeks whose window includes it.
 * Only symbols present in the anchor week get a row; absent weeks are absent, not zero. One grouped pass over the
 * window's summaries (no join of each symbol back to its own history): the trend compares the means of the first
 * two and the last two present weeks, in week order (only computed from
 * TREND_MIN_WEEKS = 4 weeks on, so both pairs exist and do not overlap).
 */
export const rolling6w: Calc = async (ctx) => {
  const { client } = ctx;
  const key = ctx.stage.key;
  // One hash aggregate over the window's rows, no sort: each week of the window is a slot (0 = the anchor week, up
  // to ROLLING_WEEKS - 1 weeks back), and the symbol's volumes in week order are its non-empty slots, oldest first.
  const slots = Array.from({ length: ROLLING_WEEKS }, (_, i) => `max(total_volume) FILTER (WHERE back = ${ROLLING_WEEKS - 1 - i})`).join(', ');
  const { anchors, recomputed } = await stampAnchors(ctx, 'rolling', ROLLING_WEEKS - 1, 'otc_rolling_symbols');
  const { rowCount } = await client.query(
    `WITH ${inputsCte({ week: '$2', tier: '$3', venueType: '$8', capture: '$1', radius: '$5' })},
     keyed AS (SELECT i.week_ending, c.capture_id, c.capture_key FROM inputs i JOIN core_captures c USING (capture_id)),
     anchors AS (SELECT week_ending, capture_key FROM keyed WHERE capture_id = ANY($4)),
     win AS (
       SELECT a.capture_key AS anchor_capture, s.symbol, (a.week_ending - k.week_ending) / 7 AS back, s.total_volume, s.total_trades
         FROM anchors a
         JOIN keyed k ON k.week_ending BETWEEN a.week_ending - 7 * ($5::int - 1) AND a.week_ending
         JOIN otc_week_symbols s ON s.capture_key = k.capture_key),
     agg AS (
       SELECT anchor_capture, symbol, count(*)::int AS weeks,
              avg(total_volume) AS mean_volume, min(total_volume) AS min_volume, max(total_volume) AS max_volume,
              avg(total_trades) AS mean_trades, min(total_trades) AS min_trades, max(total_trades) AS max_trades,
              array_remove(ARRAY[${slots}], NULL) AS volumes
         FROM win GROUP BY anchor_capture, symbol
       HAVING bool_or(back = 0)),
     ends AS (
       SELECT *, (volumes[1]::numeric + volumes[2]) / 2 AS first2, (volumes[weeks - 1]::numeric + volumes[weeks]) / 2 AS last2
         FROM agg),
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

export const rolling6wSpec = defineCalculation({
  name: 'otc_symbol_rolling_6w', version: 'v1.0', stage: 'rolling',
  lineage: { inputs: ['otc_symbol_summary'], output: 'otc_symbol_rolling_6w' },
  dependencies: { dependsOn: ['otc_symbol_summary'], weeksRequired: ROLLING_WEEKS },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: 'Rolling 6-week volume and trade statistics per symbol and the trend of its mean volume (UP, DOWN, FLAT within +-5%).',
    assumptions: ['A window counts only weeks where the symbol traded', 'The trend needs 4 weeks and a non-zero older mean'],
  },
  validation: {
    outputColumns: ['symbol', 'weeks_in_window', 'is_complete', 'mean_volume', 'min_volume', 'max_volume', 'mean_trades', 'min_trades', 'max_trades', 'trend_pct', 'trend_direction'],
    rowKey: ['symbol'], expectedRows: { count: 1, per: 'symbol-week' },
  },
});
