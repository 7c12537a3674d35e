import type { Queryable } from '@spine/platform/db/pool';
import { selectedCaptures, type CaptureScope } from './capture-selection.ts';

/** A symbol's volume at one venue (or OTHER, the venues outside the top ones) in one week and tier. */
export interface SymbolVenueShare {
  week_ending: string;
  tier: string;
  mpid: string;
  total_volume: number;
  /** Of the symbol's volume that week in that tier, ATS and non-ATS venues together, in percent. */
  share_pct: number;
}

/** The name of the row that sums the venues outside the top ones. */
export const OTHER_VENUES = 'OTHER';

/**
 * A symbol's volume per venue and week from the captures served at the point asked: the `top` venues by their volume
 * over the whole scope by name, the rest summed as OTHER. (The symbol page's venue-share chart.)
 * Parameters: $1 symbol, $2 top, then the selection's. Result: one row per week x tier x venue, oldest week first.
 */
export async function symbolVenueShares(db: Queryable, symbol: string, scope: CaptureScope, top: number): Promise<SymbolVenueShare[]> {
  const selection = selectedCaptures(scope, 3);
  const { rows } = await db.query<SymbolVenueShare>(
    `WITH caps AS (${selection.sql}),
     venues AS (
       SELECT c.week_ending, c.tier, l.mpid, sum(l.total_volume) AS volume
         FROM caps c JOIN otc_week_lines l ON l.capture_key = c.capture_key AND l.symbol = $1
        GROUP BY c.week_ending, c.tier, l.mpid),
     leaders AS (SELECT mpid FROM venues GROUP BY mpid ORDER BY sum(volume) DESC, mpid COLLATE "C" LIMIT $2),
     named AS (
       SELECT v.week_ending, v.tier, CASE WHEN v.mpid IN (SELECT mpid FROM leaders) THEN v.mpid ELSE '${OTHER_VENUES}' END AS mpid, sum(v.volume) AS volume
         FROM venues v GROUP BY 1, 2, 3)
     SELECT to_char(week_ending, 'YYYY-MM-DD') AS week_ending, tier, mpid, volume::float8 AS total_volume,
            coalesce(round(100 * volume / NULLIF(sum(volume) OVER (PARTITION BY week_ending, tier), 0), 4), 0)::float8 AS share_pct
       FROM named ORDER BY week_ending, tier COLLATE "C", mpid COLLATE "C"`,
    [symbol, top, ...selection.params],
  );
  return rows;
}
