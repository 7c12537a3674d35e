import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { ROLLING_WEEKS } from '../rolling-rules.ts';
import { stampAnchors, inputsCte, symbolsOf } from './partition-inputs.ts';
import type { Calc } from './calc.ts';

/**
 * Rolling 6-week windows as of the running week, and again for later weeks whose window includes it. What is stored
 * is each window's captures (otc_rolling_windows: the anchor capture and, for each earlier week of the window that
 * has one, the capture read for it), one row a window whatever the number of symbols; the view
 * otc_symbol_rolling_6w computes a symbol's figures from them when read (migration 960, otc_rolling_figures), for the
 * symbols present in the anchor week. Returns those symbols as the calculation's rows.
 */
export const rolling6w: Calc = async (ctx) => {
  const { client } = ctx;
  const key = ctx.stage.key;
  const { anchors, anchorKeys, recomputed } = await stampAnchors(ctx, 'rolling', ROLLING_WEEKS - 1, 'otc_rolling_windows');
  // $1 running capture, $2 week_ending, $3 tier, $4 anchor capture_ids, $5 window weeks, $6 venue type. Each anchor's
  // window: the capture read for its own week and each of the weeks before it (NULL where none), newest first.
  await client.query(
    `WITH ${inputsCte({ week: '$2', tier: '$3', venueType: '$6', capture: '$1', radius: '$5' })},
     keyed AS (SELECT i.week_ending, c.capture_id, c.capture_key FROM inputs i JOIN core_captures c USING (capture_id)),
     anchors AS (SELECT week_ending, capture_key FROM keyed WHERE capture_id = ANY($4))
     INSERT INTO otc_rolling_windows (capture_key, week_capture_keys)
     SELECT a.capture_key, array_agg(k.capture_key ORDER BY b.back)
       FROM anchors a CROSS JOIN generate_series(0, $5::int - 1) AS b (back)
       LEFT JOIN keyed k ON k.week_ending = a.week_ending - 7 * b.back
      GROUP BY a.capture_key`,
    [key.captureId, key.periodEnd, key.key1, anchors, ROLLING_WEEKS, key.key2],
  );
  return { rows: await symbolsOf(ctx, anchorKeys), metrics: { recomputed_weeks: recomputed } };
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
    rowKey: ['symbol'], expectedRows: { count: 1, per: 'symbol-week' }, rowsCountedIn: 'otc_symbol_rolling_6w_rows',
  },
});
