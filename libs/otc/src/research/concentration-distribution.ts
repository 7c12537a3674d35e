import type { Queryable } from '@spine/platform/db/pool';
import { selectedCaptures, type CaptureScope } from './capture-selection.ts';

/** How many of a week's symbols fall in one band of HHI (venue concentration, 0..1) for one venue type. */
export interface ConcentrationBand {
  venue_type: string;
  /** The band's lower bound; the band is [lower, lower + width), the last one including 1. */
  hhi_from: number;
  symbols: number;
}

/**
 * The distribution of venue concentration (HHI) over the symbols of the captures in scope (a week and tier), in
 * `bands` equal bands from 0 to 1, per venue type; symbols without volume (no HHI) are left out. Set-based in
 * PostgreSQL, so a week of thousands of symbols answers in one query.
 * The HHI is v1's (0..1, otc_week_symbols, which ingest writes for every capture) whichever version of
 * otc_symbol_concentration is current: the bands are fractions of the scale, and v2 (0..10,000) is v1 x 10,000 to the
 * digit, so every symbol falls in the same band under either version.
 * Parameters: $1 bands, then the selection's. Result: every band of every venue type served, empty bands as 0.
 */
export async function concentrationDistribution(db: Queryable, scope: CaptureScope, bands: number): Promise<ConcentrationBand[]> {
  const selection = selectedCaptures(scope, 2);
  const { rows } = await db.query<ConcentrationBand>(
    `WITH caps AS (${selection.sql}),
     counted AS (
       SELECT c.venue_type, least(width_bucket(s.hhi, 0, 1, $1::int), $1::int) AS band, count(*) AS symbols
         FROM caps c JOIN otc_week_symbols s ON s.capture_key = c.capture_key
        WHERE s.hhi IS NOT NULL GROUP BY 1, 2)
     SELECT t.venue_type, ((b - 1)::float8 / $1::int) AS hhi_from, coalesce(k.symbols, 0)::int AS symbols
       FROM (SELECT DISTINCT venue_type FROM caps) t CROSS JOIN generate_series(1, $1::int) b
       LEFT JOIN counted k ON k.venue_type = t.venue_type AND k.band = b
      ORDER BY t.venue_type COLLATE "C", b`,
    [bands, ...selection.params],
  );
  return rows;
}
