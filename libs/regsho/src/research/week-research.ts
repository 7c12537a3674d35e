import type { Queryable } from '@spine/platform/db/pool';
import { cursorFor, pageOf } from '@spine/platform/research/page-token';
import type { ResearchAnswer } from '@spine/platform/research/research-endpoint';
import { regshoProvenance } from './provenance.ts';
import type { WeekResearch, WeekResearchQuery } from './schemas.ts';

/**
 * A week's rows of research_symbol_week_latest (the week's short volume per symbol beside OTC's ATS and non-ATS
 * volume), by symbol, a page at a time (keyset on the symbol). The view is read as it is: its figures are computed
 * from each facility-day's newest capture and OTC's latest views, and a filter on week_ending and symbol reaches the
 * grouping below its aggregates. Provenance lists the Reg SHO captures; the OTC captures read are in each row and in
 * the answer's state (a revision of either changes the ETag).
 */
export async function weekResearch(db: Queryable, weekEnding: string, query: WeekResearchQuery): Promise<ResearchAnswer<WeekResearch>> {
  const cursor = cursorFor('regsho-week-research', { week_ending: weekEnding }, query);
  const [after] = cursor.after ?? [];
  const { rows } = await db.query<WeekResearch>(
    `SELECT to_char(r.week_ending, 'YYYY-MM-DD') AS week_ending, r.symbol, r.trading_days, r.short_volume::text AS short_volume,
            r.short_exempt_volume::text AS short_exempt_volume, r.total_volume::text AS total_volume, r.short_ratio::float8 AS short_ratio,
            r.ats_volume::text AS ats_volume, r.non_ats_volume::text AS non_ats_volume, r.ats_share_pct::float8 AS ats_share_pct, r.tiers,
            r.regsho_capture_ids, r.otc_capture_ids
       FROM research_symbol_week_latest r
      WHERE r.week_ending = $1::date AND ($2::text IS NULL OR r.symbol = $2) AND ($3::text IS NULL OR r.symbol COLLATE "C" > $3::text)
      ORDER BY r.symbol COLLATE "C" LIMIT $4`,
    [weekEnding, query.symbol ?? null, after ?? null, query.page_size + 1],
  );
  const page = pageOf(rows, query.page_size, cursor, (row) => [row.symbol]);
  const otc = page.rows.flatMap((row) => row.otc_capture_ids ?? []).sort().join(',');
  const sourced = await regshoProvenance(db, page.rows.flatMap((row) => row.regsho_capture_ids), undefined, otc);
  return { data: page.rows, next_page_token: page.next_page_token, ...sourced };
}
