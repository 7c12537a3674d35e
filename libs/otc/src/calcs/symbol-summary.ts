import { deleteCapture, stampParams, type Calc } from './calc.ts';

/** Per symbol: volume, trades, venue count, and average trade size rounded half-up to 2 places (0 without trades). */
export const symbolSummary: Calc = async (ctx) => {
  await deleteCapture(ctx, 'otc_symbol_summary');
  const { rowCount } = await ctx.client.query(
    `INSERT INTO otc_symbol_summary (capture_id, week_ending, tier, symbol, issue_name, total_volume, total_trades,
       venue_count, avg_trade_size, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT capture_id, week_ending, tier, symbol,
            (array_agg(issue_name ORDER BY source_line_number))[1],
            sum(total_volume), sum(total_trades), count(*),
            COALESCE(round(sum(total_volume)::numeric / NULLIF(sum(total_trades), 0), 2), 0),
            $2, $3, $4, $5, $6
       FROM otc_venue_volume WHERE capture_id = $1
      GROUP BY capture_id, week_ending, tier, symbol`,
    stampParams(ctx),
  );
  return { rows: rowCount ?? 0 };
};
