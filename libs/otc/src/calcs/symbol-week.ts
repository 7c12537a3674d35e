import { queryWithHashJoins } from '@spine/platform/db/hash-join-query';
import { ingestFigures, stampCapture, type Calc, type CalcContext, type IngestFigures } from './calc.ts';

/**
 * The per-symbol results of one pass over a week's lines, stored once in otc_week_symbols:
 * - summary: volume, trades, venue count, average trade size rounded half-up to 2 places (0 without trades), and
 *   the issue name of the symbol's first line;
 * - concentration: HHI on a 0..1 scale (sum of squared venue shares, 6 places) and the top venue (largest volume,
 *   ties to the MPID first in byte order) with its share; undefined shares of a zero-volume symbol are NULL;
 * - liquidity score v1: the rounded average trade size times the venue count, 2 places.
 * Ingest computes them in its pass over a file grouped by symbol (SymbolWeekGroups); for any other file they are
 * computed here, with the same exact half-up rounding: one sort of the capture by (symbol, volume DESC, mpid), the
 * first row of each symbol being its top venue and the aggregates over the whole symbol coming from the same sorted
 * partitions. Either way the rows are those of the capture's latest ingest, which replaces them.
 */
export const symbolWeek: Calc = async (ctx) => {
  const captureKey = await stampCapture(ctx);
  const figures = await ingestFigures(ctx);
  if (figures.grouped_by_symbol === true) return { rows: await symbolRows(ctx, captureKey, figures), metrics: { computed_by: 'ingest' } };
  await ctx.client.query('DELETE FROM otc_week_symbols WHERE capture_key = $1', [captureKey]);
  // The first line's issue name rides in the same window pass: the minimum of "line number (fixed width) || issue
  // name" in byte order is the first line's, where a join back on min(line_number) would probe an index per symbol.
  const { rowCount } = await queryWithHashJoins(ctx.client,
    `WITH ranked AS (
       SELECT symbol, mpid, total_volume,
              row_number() OVER w AS venue_rank,
              count(*) OVER whole AS venues,
              sum(total_volume) OVER whole AS volume,
              sum(total_trades) OVER whole AS trades,
              sum(total_volume::numeric * total_volume) OVER whole AS sum_squares,
              min((lpad(line_number::text, 10, '0') || issue_name) COLLATE "C") OVER whole AS first_line
         FROM otc_week_lines WHERE capture_key = $1
       WINDOW w AS (PARTITION BY symbol ORDER BY total_volume DESC, mpid COLLATE "C"),
              whole AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
     top AS (
       SELECT *, CASE WHEN trades > 0 THEN div(200 * volume + trades, 2 * trades) / 100 ELSE 0 END AS avg_trade_size
         FROM ranked WHERE venue_rank = 1)
     INSERT INTO otc_week_symbols (capture_key, venue_count, total_volume, total_trades, avg_trade_size, liquidity_score, hhi,
       top_venue_share_pct, symbol, issue_name, top_mpid)
     SELECT $1, venues, volume, trades, avg_trade_size, avg_trade_size * venues,
            CASE WHEN volume > 0 THEN div(2000000 * sum_squares + volume * volume, 2 * volume * volume) / 1000000 END,
            CASE WHEN volume > 0 THEN div(2000000 * total_volume::numeric + volume, 2 * volume) / 10000 END,
            symbol, substr(first_line, 11), mpid
       FROM top`,
    [captureKey],
  );
  return { rows: rowCount ?? 0, metrics: { computed_by: 'aggregate' } };
};

/** The capture's rows in otc_week_symbols: as ingest counted them when it wrote them, else counted now. */
async function symbolRows(ctx: CalcContext, captureKey: number, figures: IngestFigures): Promise<number> {
  if (figures.symbols) return figures.symbols;
  const { rows } = await ctx.client.query<{ n: number }>('SELECT count(*)::int AS n FROM otc_week_symbols WHERE capture_key = $1', [captureKey]);
  return rows[0]!.n;
}

/**
 * Concentration and the liquidity score are columns of the pass above (symbolWeek, which runs first: both depend on
 * the summary in the calculation graph); their views show a capture's rows once their own lineage is stamped.
 */
export const computedWithSymbolWeek: Calc = async (ctx) => ({ rows: await symbolRows(ctx, await stampCapture(ctx), await ingestFigures(ctx)) });
