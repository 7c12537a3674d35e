import type { Queryable } from '@spine/platform/db/pool';

/**
 * How many symbols of one capture (the facility's trading day before, $1) have no line in another ($2): the first
 * capture's symbols less the second's, each read from the lines' primary key.
 */
export async function symbolsMissing(db: Queryable, previousCaptureId: string, captureId: string): Promise<number> {
  const { rows } = await db.query<{ missing: number }>(
    `SELECT count(*)::int AS missing FROM (
       SELECT l.symbol FROM regsho_daily_lines l JOIN core_captures c USING (capture_key) WHERE c.capture_id = $1
       EXCEPT
       SELECT l.symbol FROM regsho_daily_lines l JOIN core_captures c USING (capture_key) WHERE c.capture_id = $2) gone`,
    [previousCaptureId, captureId],
  );
  return rows[0]!.missing;
}
