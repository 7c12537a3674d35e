import { DOMAIN } from '../domain.ts';
import { TIERS, type Tier } from '../tiers.ts';
import { VENUE_TYPES, type VenueType } from '../venue-types.ts';

/** Which clock a point-in-time question is asked on; neither field means "now": the newest capture. */
export interface AsOf {
  /** YYYY-MM-DD: captures FINRA had published by this date (core_captures.published_on). */
  as_of_published?: string;
  /** An ISO instant: captures this system had captured by then (core_captures.captured_at). */
  as_of_captured?: string;
}

export interface CaptureScope extends AsOf {
  tiers?: readonly Tier[];
  venueTypes?: readonly VenueType[];
  from?: string;
  to?: string;
}

export { isoInstant } from '@spine/platform/research/research-endpoint';

/**
 * The captures an answer reads: per partition (week_ending x tier x venue_type) in scope, the newest capture whose
 * pipeline completed (its snapshot stage), among those published or captured by the as-of point when one is given.
 * A revision still running, or stopped by the quality gate, is not served: the one before it stays current.
 * (Completion is matched on capture_id alone, not on the manifest's whole key: the planner then estimates the
 * selection's size, where the 4-column match made it guess one row and join everything after it in nested loops.)
 *
 * `selectedCaptures(scope, firstParam)` gives the SQL of a CTE body and its parameters, numbered from firstParam.
 * Its rows name the partition as OTC does: core_captures' period_end, key_1 and key_2 are OTC's week_ending, tier
 * and venue_type.
 */
export function selectedCaptures(scope: CaptureScope, firstParam = 1): { sql: string; params: unknown[] } {
  const scoped = capturesInScope(scope, firstParam);
  const sql = `SELECT DISTINCT ON (c.period_end, c.key_1, c.key_2) c.capture_id, c.capture_key,
           c.period_end AS week_ending, c.key_1 AS tier, c.key_2 AS venue_type, c.revision
      FROM core_captures c
     WHERE ${scoped.where}
       AND c.capture_id IN (SELECT m.capture_id FROM core_manifest m WHERE m.domain = $${firstParam} AND m.stage = 'snapshot' AND m.status = 'completed')
     ORDER BY c.period_end, c.key_1, c.key_2, c.revision DESC`;
  return { sql, params: scoped.params };
}

/**
 * The condition on `core_captures c` of the captures in scope that existed at its point in time, whatever their
 * state, with its parameters numbered from firstParam.
 */
export function capturesInScope(scope: CaptureScope, firstParam = 1): { where: string; params: unknown[] } {
  const p = (n: number) => `$${firstParam + n}`;
  return {
    where: `c.domain = ${p(0)} AND c.key_1 = ANY(${p(1)}::text[]) AND c.key_2 = ANY(${p(2)}::text[])
       AND c.period_end BETWEEN ${p(3)}::date AND ${p(4)}::date
       AND (${p(5)}::date IS NULL OR c.published_on <= ${p(5)}::date)
       AND (${p(6)}::timestamptz IS NULL OR c.captured_at <= ${p(6)}::timestamptz)`,
    params: [
      DOMAIN, scope.tiers ?? TIERS, scope.venueTypes ?? VENUE_TYPES, scope.from ?? '-infinity', scope.to ?? 'infinity',
      scope.as_of_published ?? null, scope.as_of_captured ?? null,
    ],
  };
}
