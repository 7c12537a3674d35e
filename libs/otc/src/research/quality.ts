import type { Queryable } from '@spine/platform/db/pool';
import { isoInstant, selectedCaptures } from './capture-selection.ts';
import { pageOf } from '@spine/platform/research/page-token';
import { provenanceOf, type Answer } from './provenance.ts';
import { cursorFor, scopeOf } from './question.ts';
import type { AnomaliesQuery, PartitionsQuery } from './request-schemas.ts';
import type { Anomaly, QualityCheck } from './response-schemas.ts';

/** The quality checks of the captures answers read (one set per partition), oldest week first. */
export async function qualityChecks(db: Queryable, query: PartitionsQuery): Promise<Answer<QualityCheck>> {
  const cursor = cursorFor('quality', {}, query);
  const after = cursor.after ?? [null, null, null, null];
  const selection = selectedCaptures({ ...scopeOf(query), venueTypes: query.venue_type }, 6);
  const { rows } = await db.query<QualityCheck>(
    `WITH caps AS (${selection.sql})
     SELECT to_char(c.week_ending, 'YYYY-MM-DD') AS week_ending, c.tier, c.venue_type, q.check_name, q.status,
            q.observed::float8 AS observed, q.threshold::float8 AS threshold, q.message, ${isoInstant('q.checked_at')} AS checked_at, c.capture_id
       FROM caps c JOIN core_quality q ON q.capture_id = c.capture_id
      WHERE $1::text IS NULL
         OR (to_char(c.week_ending, 'YYYY-MM-DD'), c.tier COLLATE "C", c.venue_type COLLATE "C", q.check_name COLLATE "C") > ($1::text, $2::text, $3::text, $4::text)
      ORDER BY c.week_ending, c.tier COLLATE "C", c.venue_type COLLATE "C", q.check_name COLLATE "C" LIMIT $5`,
    [...after, query.page_size + 1, ...selection.params],
  );
  const page = pageOf(rows, query.page_size, cursor, (r) => [r.week_ending, r.tier, r.venue_type, r.check_name]);
  const sourced = await provenanceOf(db, page.rows.map((r) => r.capture_id), query);
  return { data: page.rows, next_page_token: page.next_page_token, ...sourced };
}

/** Anomalies (quality gate stops, quality warnings, freshness alerts, pipeline failures), newest first. */
export async function anomalies(db: Queryable, query: AnomaliesQuery): Promise<Answer<Anomaly>> {
  const cursor = cursorFor('anomalies', {}, query);
  const [after] = cursor.after ?? [null];
  const { rows } = await db.query<Anomaly>(
    `SELECT a.anomaly_id::int AS anomaly_id, a.category, a.severity, to_char(a.period_end, 'YYYY-MM-DD') AS week_ending, a.key_1 AS tier, a.key_2 AS venue_type,
            a.capture_id, a.message, ${isoInstant('a.detected_at')} AS detected_at, ${isoInstant('a.resolved_at')} AS resolved_at
       FROM core_anomalies a
      WHERE ($1::bigint IS NULL OR a.anomaly_id < $1::bigint)
        AND ($2::text IS NULL OR a.key_1 = $2::text) AND (a.key_2 IS NULL OR a.key_2 = ANY($3::text[]))
        AND ($4::date IS NULL OR a.period_end >= $4::date) AND ($5::date IS NULL OR a.period_end <= $5::date)
        AND ($6::boolean IS NULL OR (a.resolved_at IS NULL) = $6::boolean)
      ORDER BY a.anomaly_id DESC LIMIT $7`,
    [after, query.tier ?? null, query.venue_type, query.from ?? null, query.to ?? null, query.open ?? null, query.page_size + 1],
  );
  const page = pageOf(rows, query.page_size, cursor, (r) => [r.anomaly_id]);
  const sourced = await provenanceOf(db, page.rows.flatMap((r) => (r.capture_id ? [r.capture_id] : [])), {},
    JSON.stringify(page.rows.map((r) => [r.anomaly_id, r.resolved_at])));
  return { data: page.rows, next_page_token: page.next_page_token, ...sourced };
}
