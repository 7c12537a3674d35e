import { deleteCapture, stampParams, type Calc } from './calc.ts';

/** Liquidity score v1: the (rounded) average trade size times the number of venues, 2 places. */
export const liquidityScore: Calc = async (ctx) => {
  await deleteCapture(ctx, 'otc_liquidity_score');
  const { rowCount } = await ctx.client.query(
    `INSERT INTO otc_liquidity_score (capture_id, week_ending, tier, venue_type, symbol, avg_trade_size, venue_count, liquidity_score,
       calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT capture_id, week_ending, tier, venue_type, symbol, avg_trade_size, venue_count, round(avg_trade_size * venue_count, 2),
            $2, $3, $4, $5, $6
       FROM otc_symbol_summary WHERE capture_id = $1`,
    stampParams(ctx),
  );
  return { rows: rowCount ?? 0 };
};
