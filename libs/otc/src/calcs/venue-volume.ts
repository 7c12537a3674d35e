import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { ingestFigures, stampCapture, type Calc } from './calc.ts';

/**
 * Silver: one row per natural key (week_ending, tier, symbol, mpid) of the capture, typed and normalized. Ingest
 * already wrote every accepted line typed, with duplicate keys moved to core_rejects, so silver is the view
 * otc_venue_volume over those lines: this calculation stamps its lineage, which makes the capture's rows visible.
 */
export const venueVolume: Calc = async (ctx) => {
  const captureKey = await stampCapture(ctx);
  const { accepted } = await ingestFigures(ctx);
  if (accepted !== undefined) return { rows: accepted };
  const { rows } = await ctx.client.query<{ n: number }>('SELECT count(*)::int AS n FROM otc_week_lines WHERE capture_key = $1', [captureKey]);
  return { rows: rows[0]!.n };
};

export const venueVolumeSpec = defineCalculation({
  name: 'otc_venue_volume', version: 'v1.0', stage: 'normalize',
  lineage: { inputs: ['otc_raw'], output: 'otc_venue_volume' },
  dependencies: { dependsOn: ['otc_raw'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: 'Silver: one typed row per natural key (week_ending, tier, symbol, mpid) of the capture.',
    assumptions: ['Duplicate keys were moved to core_rejects by ingest'],
  },
  validation: { outputColumns: ['symbol', 'mpid', 'total_volume', 'total_trades', 'record_hash'], rowKey: ['symbol', 'mpid'], expectedRows: { count: 1, per: 'accepted-line' } },
});
