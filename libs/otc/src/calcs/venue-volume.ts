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
