import type { Queryable } from '@spine/platform/db/pool';
import { DOMAIN } from '../domain.ts';
import { isoInstant } from './capture-selection.ts';

/** How long after FINRA published a partition's first version this system served it. */
export interface LoadLag {
  week_ending: string;
  tier: string;
  venue_type: string;
  published_on: string;
  captured_at: string;
  /** When the first capture's snapshot stage completed: from then on answers read the week. */
  served_at: string;
  /** Hours from the start of the publication day (New York) to served_at. */
  lag_hours: number;
}

/**
 * Per partition (week x tier x venue type) from..to, the lag of its first capture (revision 1): from the day FINRA
 * published it (published_on) to the completion of its snapshot stage. Revisions are left out: their delay is FINRA's
 * publishing again, not this system's loading. Partitions whose first capture never completed have no row.
 * Parameters: $1 domain, $2 from, $3 to. Result: oldest week first.
 */
export async function loadLag(db: Queryable, range: { from: string; to: string }): Promise<LoadLag[]> {
  const { rows } = await db.query<LoadLag>(
    `SELECT to_char(c.period_end, 'YYYY-MM-DD') AS week_ending, c.key_1 AS tier, c.key_2 AS venue_type, to_char(c.published_on, 'YYYY-MM-DD') AS published_on,
            ${isoInstant('c.captured_at')} AS captured_at, ${isoInstant('m.updated_at')} AS served_at,
            round((extract(epoch FROM m.updated_at - (c.published_on::timestamp AT TIME ZONE 'America/New_York')) / 3600)::numeric, 2)::float8 AS lag_hours
       FROM core_captures c
       JOIN core_manifest m ON m.capture_id = c.capture_id AND m.stage = 'snapshot' AND m.status = 'completed'
      WHERE c.domain = $1 AND c.revision = 1 AND c.period_end BETWEEN $2::date AND $3::date
      ORDER BY c.period_end, c.key_1 COLLATE "C", c.key_2 COLLATE "C"`,
    [DOMAIN, range.from, range.to],
  );
  return rows;
}
