import { deleteCapture, stampParams, type Calc } from './calc.ts';

/**
 * Per symbol: HHI on a 0..1 scale (sum of squared venue shares of the symbol's volume, 6 places) and the top venue
 * (largest volume, ties to the alphabetically first MPID). Undefined shares of a zero-volume symbol are NULL.
 */
export const symbolConcentration: Calc = async (ctx) => {
  await deleteCapture(ctx, 'otc_symbol_concentration');
  // HHI = sum(v_i^2) / (sum v_i)^2, in exact integer arithmetic until the one division. The top venue is the
  // alphabetically first MPID among those with the symbol's largest volume.
  const { rowCount } = await ctx.client.query(
    `WITH a AS (
       SELECT symbol, max(total_volume) AS top_volume, sum(total_volume::numeric * total_volume) AS sum_squares
         FROM otc_venue_volume WHERE capture_id = $1 GROUP BY symbol),
     top AS (
       SELECT v.symbol, min(v.mpid) AS top_mpid
         FROM otc_venue_volume v JOIN a ON a.symbol = v.symbol AND v.total_volume = a.top_volume
        WHERE v.capture_id = $1 GROUP BY v.symbol)
     INSERT INTO otc_symbol_concentration (capture_id, week_ending, tier, symbol, venue_count, hhi, top_mpid,
       top_venue_share_pct, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT s.capture_id, s.week_ending, s.tier, s.symbol, s.venue_count,
            CASE WHEN s.total_volume > 0 THEN round(a.sum_squares / (s.total_volume::numeric * s.total_volume), 6) END,
            top.top_mpid,
            CASE WHEN s.total_volume > 0 THEN round(100 * a.top_volume::numeric / s.total_volume, 4) END,
            $2, $3, $4, $5, $6
       FROM otc_symbol_summary s JOIN a ON a.symbol = s.symbol JOIN top ON top.symbol = s.symbol
      WHERE s.capture_id = $1`,
    stampParams(ctx),
  );
  return { rows: rowCount ?? 0 };
};
