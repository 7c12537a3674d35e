import type { Queryable } from '@spine/platform/db/pool';
import { selectedCaptures } from './capture-selection.ts';
import { hhiPick } from './hhi-version.ts';
import { pageOf } from '@spine/platform/research/page-token';
import { provenanceOf, type Answer } from './provenance.ts';
import { cursorFor } from './question.ts';
import type { WeekSnapshotQuery } from './request-schemas.ts';
import type { SymbolWeek } from './response-schemas.ts';
import { symbolWeeks } from './symbol-weeks.ts';

/**
 * The research snapshot of one week and tier: every symbol's figures (summary, concentration, ATS share, rolling
 * 6-week figures and trend, quality verdict) at the question's point in time, by venue type and symbol.
 */
export async function weekSnapshot(db: Queryable, weekEnding: string, query: WeekSnapshotQuery): Promise<Answer<SymbolWeek>> {
  const cursor = cursorFor('week-snapshot', { week_ending: weekEnding }, query);
  const scope = { tiers: [query.tier], from: weekEnding, to: weekEnding, as_of_published: query.as_of_published, as_of_captured: query.as_of_captured };
  const selection = selectedCaptures({ ...scope, venueTypes: query.venue_type }, 4);
  const [afterType, afterSymbol] = cursor.after ?? [];
  const { rows: keys } = await db.query<{ venue_type: string; symbol: string }>(
    `WITH caps AS (${selection.sql})
     SELECT c.venue_type, s.symbol FROM caps c
       JOIN core_calc_lineage g ON g.capture_key = c.capture_key AND g.calc_name = 'otc_symbol_summary'
       JOIN otc_week_symbols s ON s.capture_key = c.capture_key
      WHERE $1::text IS NULL OR (c.venue_type COLLATE "C", s.symbol COLLATE "C") > ($1::text, $2::text)
      ORDER BY c.venue_type COLLATE "C", s.symbol COLLATE "C" LIMIT $3`,
    [afterType ?? null, afterSymbol ?? null, query.page_size + 1, ...selection.params],
  );
  const page = pageOf(keys, query.page_size, cursor, (k) => [k.venue_type, k.symbol]);
  const wanted = new Set(page.rows.map((k) => `${k.venue_type}\u001f${k.symbol}`));
  const weeks = (await symbolWeeks(db, scope, [...new Set(page.rows.map((k) => k.symbol))], query.venue_type, query.hhi_version))
    .filter((w) => wanted.has(`${w.row.venue_type}\u001f${w.row.symbol}`))
    .sort((a, b) => (a.row.venue_type === b.row.venue_type ? (a.row.symbol < b.row.symbol ? -1 : 1) : a.row.venue_type < b.row.venue_type ? -1 : 1));
  const sourced = await provenanceOf(db, weeks.flatMap((w) => w.captures), query, '', hhiPick(query.hhi_version));
  return { data: weeks.map((w) => w.row), next_page_token: page.next_page_token, ...sourced };
}
