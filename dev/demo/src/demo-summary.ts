import type { Pool } from '@spine/platform';

export interface DemoWeekRow {
  week_ending: string;
  tier: string;
  venue_type: string;
  status: string;
  rows: number;
  rejects: number;
  seconds: number;
}

/** One line per week x tier x venue type of the batch: outcome, rows accepted, rejects and the week's wall time. */
export async function demoSummary(pool: Pool, batchId: string): Promise<DemoWeekRow[]> {
  const { rows } = await pool.query(
    `SELECT to_char(w.period_end, 'YYYY-MM-DD') AS week_ending, w.key_1 AS tier, w.key_2 AS venue_type, w.status,
            COALESCE((SELECT count(*) FROM otc_raw r WHERE r.capture_id = w.capture_id), 0)::int AS rows,
            COALESCE((SELECT count(*) FROM core_rejects j WHERE j.capture_id = w.capture_id), 0)::int AS rejects,
            round(extract(epoch FROM COALESCE(w.finished_at, now()) - w.started_at)::numeric, 2)::float AS seconds
       FROM core_executions w WHERE w.batch_id = $1 AND w.stage = 'week'
      ORDER BY w.period_end, w.key_1, w.key_2`,
    [batchId],
  );
  return rows;
}
