import type { Queryable } from '@spine/platform/db/pool';

/** How many symbols of one capture (the facility's trading day before) have no line in another: an anti-join on the lines' key. */
export async function symbolsMissing(db: Queryable, previousCaptureId: string, captureId: string): Promise<number> {
  const { rows } = await db.query<{ missing: number }>(
    `SELECT count(*)::int AS missing FROM regsho_daily_lines p
      WHERE p.capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $1)
        AND NOT EXISTS (SELECT 1 FROM regsho_daily_lines s
                         WHERE s.capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $2) AND s.symbol = p.symbol)`,
    [previousCaptureId, captureId],
  );
  return rows[0]!.missing;
}
