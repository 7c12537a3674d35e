import type { Queryable } from '@spine/platform/db/pool';
import { selectedCaptures, type CaptureScope } from './capture-selection.ts';
import { pageOf, type PageCursor, type PageKey } from '@spine/platform/research/page-token';
import { provenanceOf, type Answer } from './provenance.ts';
import type { VenueWeek } from './response-schemas.ts';

/** Sort orders a page of venue rows may take; each is the row's page key. */
export const VENUE_ORDERS = {
  /** A week's venue table: by venue type, then rank. */
  byRank: ['c.venue_type COLLATE "C"', 'v.volume_rank', 'v.mpid COLLATE "C"'],
  /** A venue's history: by week, tier, venue type. */
  byWeek: ["to_char(c.week_ending, 'YYYY-MM-DD')", 'c.tier COLLATE "C"', 'c.venue_type COLLATE "C"'],
} as const;

/** One page of otc_venue_share rows of the selected captures, optionally of one MPID, in `order`. */
export async function venueRows(db: Queryable, scope: CaptureScope, options: { mpid?: string; order: keyof typeof VENUE_ORDERS; pageSize: number; cursor: PageCursor }):
  Promise<Answer<VenueWeek>> {
  const columns = VENUE_ORDERS[options.order];
  const after = options.cursor.after;
  const afterParams = after ? columns.map((_, i) => `$${3 + i}`) : [];
  const selection = selectedCaptures(scope, 3 + afterParams.length);
  const { rows } = await db.query<VenueWeek>(
    `WITH caps AS (${selection.sql})
     SELECT to_char(c.week_ending, 'YYYY-MM-DD') AS week_ending, c.tier, c.venue_type, v.mpid, v.market_participant_name,
            v.total_volume::float8 AS total_volume, v.total_trades::float8 AS total_trades, v.symbol_count,
            v.market_share_pct::float8 AS market_share_pct, v.volume_rank, c.capture_id, c.revision
       FROM caps c JOIN otc_venue_share v ON v.capture_id = c.capture_id
      WHERE ($1::text IS NULL OR v.mpid = $1::text)
        ${after ? `AND (${columns.join(', ')}) > (${afterParams.join(', ')})` : ''}
      ORDER BY ${columns.join(', ')} LIMIT $2`,
    [options.mpid ?? null, options.pageSize + 1, ...(after ?? []), ...selection.params],
  );
  const keyOf = (row: VenueWeek): PageKey => (options.order === 'byRank' ? [row.venue_type, row.volume_rank, row.mpid] : [row.week_ending, row.tier, row.venue_type]);
  const page = pageOf(rows, options.pageSize, options.cursor, keyOf);
  const sourced = await provenanceOf(db, page.rows.map((r) => r.capture_id), scope);
  return { data: page.rows, next_page_token: page.next_page_token, ...sourced };
}
