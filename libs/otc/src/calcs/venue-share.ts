import { deleteCapture, stampParams, type Calc } from './calc.ts';

/** Per MPID across the tier: volume, trades, symbols, market share in percent (4 places) and rank by volume. */
export const venueShare: Calc = async (ctx) => {
  await deleteCapture(ctx, 'otc_venue_share');
  const { rowCount } = await ctx.client.query(
    `WITH v AS (
       SELECT capture_id, week_ending, tier, venue_type, mpid, min(market_participant_name) AS name,
              sum(total_volume) AS volume, sum(total_trades) AS trades, count(*) AS symbols
         FROM otc_venue_volume WHERE capture_id = $1
        GROUP BY capture_id, week_ending, tier, venue_type, mpid),
     t AS (SELECT sum(volume) AS tier_volume FROM v)
     INSERT INTO otc_venue_share (capture_id, week_ending, tier, venue_type, mpid, market_participant_name, total_volume, total_trades,
       symbol_count, market_share_pct, volume_rank, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT capture_id, week_ending, tier, venue_type, mpid, name, volume, trades, symbols,
            CASE WHEN t.tier_volume > 0 THEN round(100 * volume / t.tier_volume, 4) ELSE 0 END,
            rank() OVER (ORDER BY volume DESC), $2, $3, $4, $5, $6
       FROM v CROSS JOIN t`,
    stampParams(ctx),
  );
  return { rows: rowCount ?? 0 };
};
