import type { Queryable } from '@spine/platform/db/pool';
import { hhiPick } from './hhi-version.ts';
import { isAfter, pageOf, type PageKey } from '@spine/platform/research/page-token';
import { provenanceOf, type Answer } from './provenance.ts';
import { cursorFor, scopeOf } from './question.ts';
import type { SymbolHistoryQuery } from './request-schemas.ts';
import type { SymbolWeek } from './response-schemas.ts';
import { symbolWeeks } from './symbol-weeks.ts';

const keyOf = (row: SymbolWeek): PageKey => [row.week_ending, row.tier, row.venue_type];

/** A symbol's weekly history, oldest week first, per tier and venue type, at the question's point in time. */
export async function symbolHistory(db: Queryable, symbol: string, query: SymbolHistoryQuery): Promise<Answer<SymbolWeek>> {
  const cursor = cursorFor('symbol-history', { symbol }, query);
  const weeks = (await symbolWeeks(db, scopeOf(query), [symbol], query.venue_type, query.hhi_version))
    .sort((a, b) => compareKeys(keyOf(a.row), keyOf(b.row)))
    .filter((w) => isAfter(keyOf(w.row), cursor.after));
  const page = pageOf(weeks, query.page_size, cursor, (w) => keyOf(w.row));
  const sourced = await provenanceOf(db, page.rows.flatMap((w) => w.captures), query, '', hhiPick(query.hhi_version));
  return { data: page.rows.map((w) => w.row), next_page_token: page.next_page_token, ...sourced };
}

function compareKeys(a: PageKey, b: PageKey): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
