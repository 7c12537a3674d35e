import type { Queryable } from '@spine/platform/db/pool';
import { capturesInScope, isoInstant, selectedCaptures } from './capture-selection.ts';
import { captureStatusSql, worstQualitySql } from './capture-state.ts';
import type { Partition } from './response-schemas.ts';
import { pageOf } from '@spine/platform/research/page-token';
import { provenanceOf, type Answer } from './provenance.ts';
import { cursorFor, scopeOf } from './question.ts';
import type { PartitionsQuery } from './request-schemas.ts';

/** Coverage: every partition with a capture, oldest week first, with its status, captures, served capture and quality verdict. */
export async function partitions(db: Queryable, query: PartitionsQuery): Promise<Answer<Partition>> {
  const cursor = cursorFor('partitions', {}, query);
  const scope = { ...scopeOf(query), venueTypes: query.venue_type };
  const after = cursor.after ?? [null, null, null];
  const scoped = capturesInScope(scope, 5);
  const served = selectedCaptures(scope, 5);
  const { rows } = await db.query<Partition>(
    `WITH scoped AS (SELECT c.*, ${captureStatusSql} AS status FROM core_captures c WHERE ${scoped.where}),
     served AS (${served.sql}),
     parts AS (
       SELECT DISTINCT ON (period_end, key_1, key_2) period_end AS week_ending, key_1 AS tier, key_2 AS venue_type, status,
              count(*) OVER w AS capture_count, max(captured_at) OVER w AS last_captured_at
         FROM scoped WINDOW w AS (PARTITION BY period_end, key_1, key_2)
        ORDER BY period_end, key_1, key_2, revision DESC)
     SELECT to_char(p.week_ending, 'YYYY-MM-DD') AS week_ending, p.tier, p.venue_type, p.status, p.capture_count::int AS capture_count,
            ${isoInstant('p.last_captured_at')} AS last_captured_at, s.capture_id, s.revision,
            to_char(sc.published_on, 'YYYY-MM-DD') AS published_on, ${worstQualitySql('s.capture_id')} AS quality_status
       FROM parts p
       LEFT JOIN served s ON s.week_ending = p.week_ending AND s.tier = p.tier AND s.venue_type = p.venue_type
       LEFT JOIN core_captures sc ON sc.capture_id = s.capture_id
      WHERE $1::text IS NULL OR (to_char(p.week_ending, 'YYYY-MM-DD'), p.tier COLLATE "C", p.venue_type COLLATE "C") > ($1::text, $2::text, $3::text)
      ORDER BY p.week_ending, p.tier COLLATE "C", p.venue_type COLLATE "C" LIMIT $4`,
    [...after, query.page_size + 1, ...scoped.params],
  );
  const page = pageOf(rows, query.page_size, cursor, (r) => [r.week_ending, r.tier, r.venue_type]);
  const sourced = await provenanceOf(db, page.rows.flatMap((r) => (r.capture_id ? [r.capture_id] : [])), query,
    JSON.stringify(page.rows.map((r) => [r.status, r.capture_count, r.last_captured_at])));
  return { data: page.rows, next_page_token: page.next_page_token, ...sourced };
}
