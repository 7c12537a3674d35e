import type { Calc } from './calc.ts';

/**
 * FINRA's lastUpdateDate of the version a capture holds: the newest of its lines' dates (a revision moves the dates
 * of the rows it changed). Kept on the capture, where point-in-time reads select by it (core_captures.published_on).
 */
export const sourceDates: Calc = async ({ client, stage }) => {
  await client.query(
    `UPDATE core_captures SET finra_last_update_date = (SELECT max(source_last_update_date) FROM otc_week_lines l WHERE l.capture_key = core_captures.capture_key)
      WHERE capture_id = $1`,
    [stage.key.captureId],
  );
  return { rows: 0 };
};
