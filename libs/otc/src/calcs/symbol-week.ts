import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { ingestFigures, stampCapture, type Calc, type CalcContext, type IngestFigures } from './calc.ts';

/**
 * The per-symbol results of one pass over a week's lines, stored once in otc_week_symbols:
 * - summary: volume, trades, venue count, average trade size rounded half-up to 2 places (0 without trades), and
 *   the issue name of the symbol's first line;
 * - concentration: HHI on a 0..1 scale (sum of squared venue shares, 6 places) and the top venue (largest volume,
 *   ties to the MPID first in byte order) with its share; undefined shares of a zero-volume symbol are NULL;
 * - liquidity score v1: the rounded average trade size times the venue count, 2 places.
 * Ingest computes them in its pass over the week's lines (SymbolTally: in the stream for a file grouped by symbol
 * as FINRA writes them, from the lines grouped by symbol in the worker for any other), with exact half-up rounding;
 * this calculation stamps them. They are the rows of the capture's latest ingest, which replaces them.
 */
export const symbolWeek: Calc = async (ctx) => {
  const captureKey = await stampCapture(ctx);
  const figures = await ingestFigures(ctx);
  if (figures.grouped_by_symbol !== true && figures.symbol_pass === undefined) {
    throw new Error(`capture ${ctx.stage.key.captureId} was ingested by an earlier release that left its per-symbol results to this stage: ` +
      'run the week again with --force');
  }
  return { rows: await symbolRows(ctx, captureKey, figures) };
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

export const symbolSummarySpec = defineCalculation({
  name: 'otc_symbol_summary', version: 'v1.0', stage: 'aggregate',
  lineage: { inputs: ['otc_venue_volume'], output: 'otc_symbol_summary' },
  dependencies: { dependsOn: ['otc_venue_volume'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: 'Per symbol and week: volume, trades, venue count, average trade size and issue name.',
    assumptions: ['Average trade size is rounded half-up to 2 places, 0 without trades', "The issue name is that of the symbol's first line"],
  },
  validation: {
    outputColumns: ['symbol', 'issue_name', 'total_volume', 'total_trades', 'venue_count', 'avg_trade_size'],
    rowKey: ['symbol'], expectedRows: { count: 1, per: 'symbol-week' },
  },
});

export const symbolConcentrationSpec = defineCalculation({
  name: 'otc_symbol_concentration', version: 'v1.0', stage: 'aggregate',
  lineage: { inputs: ['otc_venue_volume', 'otc_symbol_summary'], output: 'otc_symbol_concentration', versionOutput: 'otc_symbol_concentration_v1' },
  dependencies: { dependsOn: ['otc_venue_volume', 'otc_symbol_summary'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: "Venue concentration per symbol and week: HHI on a 0..1 scale (sum of squared venue shares, 6 places) and the top venue with its share.",
    assumptions: ['A zero-volume symbol has a NULL HHI and top-venue share', 'The top venue breaks ties by the MPID first in byte order'],
  },
  validation: { outputColumns: ['symbol', 'venue_count', 'hhi', 'top_mpid', 'top_venue_share_pct'], rowKey: ['symbol'], expectedRows: { count: 1, per: 'symbol-week' } },
});

export const liquidityScoreSpec = defineCalculation({
  name: 'otc_liquidity_score', version: 'v1.0', stage: 'aggregate',
  lineage: { inputs: ['otc_symbol_summary'], output: 'otc_liquidity_score' },
  dependencies: { dependsOn: ['otc_symbol_summary'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: 'Liquidity score v1: the rounded average trade size times the venue count, 2 places.',
    assumptions: ['Uses the average trade size already rounded to 2 places'],
  },
  validation: { outputColumns: ['symbol', 'avg_trade_size', 'venue_count', 'liquidity_score'], rowKey: ['symbol'], expectedRows: { count: 1, per: 'symbol-week' } },
});
