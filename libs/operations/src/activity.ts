import type { Queryable } from '@spine/platform';

export interface AnomalyRow {
  anomaly_id: number;
  category: string;
  severity: string;
  week_ending: string | null;
  tier: string | null;
  venue_type: string | null;
  message: string;
  detected_at: string;
  resolved_at: string | null;
}

export async function recentAnomalies(db: Queryable, limit = 50): Promise<AnomalyRow[]> {
  const { rows } = await db.query<AnomalyRow>(
    `SELECT anomaly_id, category, severity, to_char(week_ending, 'YYYY-MM-DD') AS week_ending, tier, venue_type, message, detected_at, resolved_at
       FROM core_anomalies ORDER BY detected_at DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

export interface QualityRow {
  week_ending: string;
  tier: string;
  venue_type: string;
  check_name: string;
  status: string;
  message: string;
  checked_at: string;
}

/** Quality verdicts of the newest captures, problems first. */
export async function recentQuality(db: Queryable, limit = 100): Promise<QualityRow[]> {
  const { rows } = await db.query<QualityRow>(
    `SELECT to_char(q.week_ending, 'YYYY-MM-DD') AS week_ending, q.tier, q.venue_type, q.check_name, q.status, q.message, q.checked_at
       FROM core_quality q
       JOIN (SELECT DISTINCT ON (week_ending, tier, venue_type) capture_id FROM core_captures ORDER BY week_ending, tier, venue_type, revision DESC) l USING (capture_id)
      ORDER BY CASE q.status WHEN 'FAIL' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END, q.week_ending DESC, q.tier, q.venue_type, q.check_name
      LIMIT $1`,
    [limit],
  );
  return rows;
}

export interface BatchRow {
  batch_id: string;
  kind: string;
  status: string;
  weeks_total: number;
  weeks_done: number;
  weeks_failed: number;
  requested_by: string | null;
  created_at: string;
  finished_at: string | null;
}

export async function recentBatches(db: Queryable, limit = 30): Promise<BatchRow[]> {
  const { rows } = await db.query<BatchRow>(
    `SELECT b.batch_id, b.kind, b.status, b.weeks_total, b.requested_by, b.created_at, b.finished_at,
            count(*) FILTER (WHERE e.stage = 'week' AND e.status IN ('completed', 'gated'))::int AS weeks_done,
            count(*) FILTER (WHERE e.stage = 'week' AND e.status = 'failed')::int AS weeks_failed
       FROM core_batches b LEFT JOIN core_executions e ON e.batch_id = b.batch_id
      GROUP BY b.batch_id ORDER BY b.created_at DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
