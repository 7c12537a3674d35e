import type { Queryable } from '@spine/platform/db/pool';
import { capturesInScope, isoInstant } from './capture-selection.ts';
import { captureStatusSql } from './capture-state.ts';
import type { CaptureRow } from './response-schemas.ts';
import { pageOf } from '@spine/platform/research/page-token';
import { provenanceOf, type Answer } from './provenance.ts';
import { cursorFor, scopeOf } from './question.ts';
import type { CapturesQuery } from './request-schemas.ts';

/** Every capture (stored version) of the partitions in scope, each partition's revisions in order. */
export async function captureList(db: Queryable, query: CapturesQuery): Promise<Answer<CaptureRow>> {
  const cursor = cursorFor('captures', {}, query);
  const after = cursor.after ?? [null, null, null, null];
  const scoped = capturesInScope({ ...scopeOf(query), venueTypes: query.venue_type }, 6);
  const { rows } = await db.query<CaptureRow>(
    `SELECT c.capture_id, to_char(c.period_end, 'YYYY-MM-DD') AS week_ending, c.key_1 AS tier, c.key_2 AS venue_type, c.revision, ${captureStatusSql} AS status,
            ${isoInstant('c.captured_at')} AS captured_at, to_char(c.published_on, 'YYYY-MM-DD') AS published_on,
            to_char(c.finra_initial_published_date, 'YYYY-MM-DD') AS finra_initial_published_date,
            to_char(c.finra_last_update_date, 'YYYY-MM-DD') AS finra_last_update_date,
            to_char(c.finra_last_reported_date, 'YYYY-MM-DD') AS finra_last_reported_date,
            (SELECT (m.metrics->'otc_raw'->>'accepted')::int FROM core_manifest m
              WHERE m.domain = c.domain AND m.period_end = c.period_end AND m.key_1 = c.key_1 AND m.key_2 = c.key_2
                AND m.capture_id = c.capture_id AND m.stage = 'ingest' AND m.status IN ('completed', 'gated')) AS accepted_rows,
            c.source_uri
       FROM core_captures c
      WHERE ${scoped.where}
        AND ($1::text IS NULL OR (to_char(c.period_end, 'YYYY-MM-DD'), c.key_1 COLLATE "C", c.key_2 COLLATE "C", c.revision) > ($1::text, $2::text, $3::text, $4::int))
      ORDER BY c.period_end, c.key_1 COLLATE "C", c.key_2 COLLATE "C", c.revision LIMIT $5`,
    [...after, query.page_size + 1, ...scoped.params],
  );
  const page = pageOf(rows, query.page_size, cursor, (r) => [r.week_ending, r.tier, r.venue_type, r.revision]);
  const sourced = await provenanceOf(db, page.rows.map((r) => r.capture_id), query, JSON.stringify(page.rows.map((r) => r.status)));
  return { data: page.rows, next_page_token: page.next_page_token, ...sourced };
}
