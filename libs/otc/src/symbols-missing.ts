import type { Queryable } from '@spine/platform';

/** How many symbols of one capture (the week before) have no row in another (the week after): an anti-join on otc_week_symbols' key. */
export async function symbolsMissing(db: Queryable, previousCaptureId: string, captureId: string): Promise<number> {
  const { rows } = await db.query<{ missing: number }>(
    `SELECT count(*)::int AS missing FROM otc_week_symbols p
      WHERE p.capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $1)
        AND NOT EXISTS (SELECT 1 FROM otc_week_symbols s
                         WHERE s.capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $2) AND s.symbol = p.symbol)`,
    [previousCaptureId, captureId],
  );
  return rows[0]!.missing;
}
