import type { Queryable } from '@spine/platform/db/pool';
import type { Answer } from './provenance.ts';
import { cursorFor, scopeOf } from './question.ts';
import type { VenueHistoryQuery, WeekTierQuery } from './request-schemas.ts';
import type { VenueWeek } from './response-schemas.ts';
import { venueRows } from './venue-rows.ts';

/** A week's venue table for a tier: every venue's volume, trades, symbols, market share and rank, by venue type and rank. */
export function weekVenues(db: Queryable, weekEnding: string, query: WeekTierQuery): Promise<Answer<VenueWeek>> {
  const scope = { ...scopeOf(query), from: weekEnding, to: weekEnding, venueTypes: query.venue_type };
  return venueRows(db, scope, { order: 'byRank', pageSize: query.page_size, cursor: cursorFor('week-venues', { week_ending: weekEnding }, query) });
}

/** A venue's weekly history (MPID, or a non-ATS firm's key), oldest week first, across tiers and venue types. */
export function venueHistory(db: Queryable, mpid: string, query: VenueHistoryQuery): Promise<Answer<VenueWeek>> {
  const scope = { ...scopeOf(query), venueTypes: query.venue_type };
  return venueRows(db, scope, { mpid, order: 'byWeek', pageSize: query.page_size, cursor: cursorFor('venue-history', { mpid }, query) });
}
