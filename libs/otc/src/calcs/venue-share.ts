import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { ingestFigures, type Calc } from './calc.ts';

/**
 * Per MPID across the tier: volume, trades, symbols, market share in percent (4 places) and rank by volume. Summed
 * from ingest's totals per venue (otc_week_venues, a few hundred rows) when ingest wrote them and they are all there
 * (a rollback of migration 1400 empties the table, not the manifest), else from the week's lines; both give the same
 * rows (an MPID's smallest participant name, its lines as its symbols).
 */
export const venueShare: Calc = async (ctx) => {
  const { client, stage } = ctx;
  const key = stage.key;
  const { venues } = await ingestFigures(ctx);
  const fromTotals = venues !== undefined && (await client.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM otc_week_venues WHERE capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $1)',
    [key.captureId])).rows[0]!.n === venues;
  // A stored line is one symbol of its MPID; a total counts its lines.
  const [table, symbols] = fromTotals ? ['otc_week_venues', 'sum(line_count)'] : ['otc_week_lines', 'count(*)'];
  const perVenue = `SELECT mpid, min(market_participant_name) AS name, sum(total_volume) AS volume, sum(total_trades) AS trades, ${symbols} AS symbols
      FROM ${table} WHERE capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $1)
     GROUP BY mpid`;
  await client.query('DELETE FROM otc_venue_share WHERE capture_id = $1', [key.captureId]);
  const { rowCount } = await client.query(
    `WITH v AS (${perVenue}),
     t AS (SELECT sum(volume) AS tier_volume FROM v)
     INSERT INTO otc_venue_share (capture_id, week_ending, tier, venue_type, mpid, market_participant_name, total_volume, total_trades,
       symbol_count, market_share_pct, volume_rank, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT $1, $7, $8, $9, mpid, name, volume, trades, symbols,
            CASE WHEN t.tier_volume > 0 THEN round(100 * volume / t.tier_volume, 4) ELSE 0 END,
            rank() OVER (ORDER BY volume DESC), $2, $3, $4, $5, $6
       FROM v CROSS JOIN t`,
    [key.captureId, ctx.calcName, ctx.calcVersion, stage.executionId, stage.batchId, stage.capturedAt, key.periodEnd, key.key1, key.key2],
  );
  return { rows: rowCount ?? 0, metrics: { summed_from: table } };
};

export const venueShareSpec = defineCalculation({
  name: 'otc_venue_share', version: 'v1.0', stage: 'aggregate',
  lineage: { inputs: ['otc_venue_volume'], output: 'otc_venue_share' },
  dependencies: { dependsOn: ['otc_venue_volume'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: 'Per MPID across the tier: volume, trades, symbols, market share in percent (4 places) and rank by volume.',
    assumptions: ['Ranks are SQL RANK(): ties share a rank', 'A tier with no volume gives every venue a 0 share'],
  },
  validation: {
    outputColumns: ['mpid', 'market_participant_name', 'total_volume', 'total_trades', 'symbol_count', 'market_share_pct', 'volume_rank'],
    rowKey: ['mpid'], expectedRows: null,
  },
});
