import { deleteCapture, stampParams, type Calc } from './calc.ts';

/**
 * Per symbol: HHI on a 0..1 scale (sum of squared venue shares of the symbol's volume, 6 places) and the top venue
 * (largest volume, ties to the alphabetically first MPID). Undefined shares of a zero-volume symbol are NULL.
 */
export const symbolConcentration: Calc = async (ctx) => {
  await deleteCapture(ctx, 'otc_symbol_concentration');
  const { rowCount } = await ctx.client.query(
    `INSERT INTO otc_symbol_concentration (capture_id, week_ending, tier, symbol, venue_count, hhi, top_mpid,
       top_venue_share_pct, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT s.capture_id, s.week_ending, s.tier, s.symbol, s.venue_count,
            CASE WHEN s.total_volume > 0 THEN round(sum((v.total_volume::numeric / NULLIF(s.total_volume, 0)) ^ 2), 6) END,
            (array_agg(v.mpid ORDER BY v.total_volume DESC, v.mpid))[1],
            CASE WHEN s.total_volume > 0 THEN round(100 * max(v.total_volume)::numeric / NULLIF(s.total_volume, 0), 4) END,
            $2, $3, $4, $5, $6
       FROM otc_symbol_summary s
       JOIN otc_venue_volume v ON v.capture_id = s.capture_id AND v.symbol = s.symbol
      WHERE s.capture_id = $1
      GROUP BY s.capture_id, s.week_ending, s.tier, s.symbol, s.venue_count, s.total_volume`,
    stampParams(ctx),
  );
  return { rows: rowCount ?? 0 };
};
