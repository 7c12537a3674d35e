import { queryWithHashJoins } from '@spine/platform';
import { deleteCapture, stampParams, type Calc } from './calc.ts';

/**
 * Per symbol: HHI on a 0..1 scale (sum of squared venue shares of the symbol's volume, 6 places) and the top venue
 * (largest volume, ties to the alphabetically first MPID). Undefined shares of a zero-volume symbol are NULL.
 */
export const symbolConcentration: Calc = async (ctx) => {
  await deleteCapture(ctx, 'otc_symbol_concentration');
  // One ordered pass over the capture: the first venue of each symbol in (volume DESC, mpid) order is the top venue,
  // and HHI = sum(v_i^2) / (sum v_i)^2 in exact arithmetic until the one division.
  const { rowCount } = await queryWithHashJoins(ctx.client,
    `WITH ranked AS (
       SELECT symbol, mpid, total_volume,
              row_number() OVER (PARTITION BY symbol ORDER BY total_volume DESC, mpid) AS venue_rank,
              sum(total_volume::numeric * total_volume) OVER (PARTITION BY symbol) AS sum_squares
         FROM otc_venue_volume WHERE capture_id = $1)
     INSERT INTO otc_symbol_concentration (capture_id, week_ending, tier, venue_type, symbol, venue_count, hhi, top_mpid,
       top_venue_share_pct, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT s.capture_id, s.week_ending, s.tier, s.venue_type, s.symbol, s.venue_count,
            CASE WHEN s.total_volume > 0 THEN round(r.sum_squares / (s.total_volume::numeric * s.total_volume), 6) END,
            r.mpid,
            CASE WHEN s.total_volume > 0 THEN round(100 * r.total_volume::numeric / s.total_volume, 4) END,
            $2, $3, $4, $5, $6
       FROM ranked r JOIN otc_symbol_summary s ON s.capture_id = $1 AND s.symbol = r.symbol
      WHERE r.venue_rank = 1`,
    stampParams(ctx),
  );
  return { rows: rowCount ?? 0 };
};
