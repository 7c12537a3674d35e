import { deleteCapture, stampParams, type Calc } from './calc.ts';

/** Per symbol: volume, trades, venue count, and average trade size rounded half-up to 2 places (0 without trades). */
export const symbolSummary: Calc = async (ctx) => {
  await deleteCapture(ctx, 'otc_symbol_summary');
  // The issue name comes from the symbol's first line: found by joining on that line number, which is far cheaper
  // than an ordered array_agg per symbol.
  const { rowCount } = await ctx.client.query(
    `WITH g AS (
       SELECT symbol, sum(total_volume) AS volume, sum(total_trades) AS trades, count(*) AS venues, min(source_line_number) AS first_line
         FROM otc_venue_volume WHERE capture_id = $1 GROUP BY symbol)
     INSERT INTO otc_symbol_summary (capture_id, week_ending, tier, venue_type, symbol, issue_name, total_volume, total_trades,
       venue_count, avg_trade_size, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT $1, v.week_ending, v.tier, v.venue_type, g.symbol, v.issue_name, g.volume, g.trades, g.venues,
            COALESCE(round(g.volume::numeric / NULLIF(g.trades, 0), 2), 0), $2, $3, $4, $5, $6
       FROM g JOIN otc_venue_volume v ON v.capture_id = $1 AND v.source_line_number = g.first_line`,
    stampParams(ctx),
  );
  return { rows: rowCount ?? 0 };
};
