import { wireColumns, type Queryable, type WirePartition } from '@spine/platform';

export interface GatedWeek extends WirePartition {
  capture_id: string | null;
  rejects: number;
  /** The most frequent reject reasons of the week's capture, most frequent first (at most three). */
  top_reasons: { reason_code: string; count: number }[];
}

/** The weeks of a batch that the quality gate stopped, with why: what `backfill --wait` reports before exiting 3. */
export async function gatedWeeks(db: Queryable, batchId: string): Promise<GatedWeek[]> {
  const { rows } = await db.query<GatedWeek>(
    `SELECT ${wireColumns('e')}, e.capture_id,
            COALESCE(sum(r.count), 0)::int AS rejects,
            COALESCE(json_agg(json_build_object('reason_code', r.reason_code, 'count', r.count) ORDER BY r.count DESC, r.reason_code)
                     FILTER (WHERE r.rank <= 3), '[]') AS top_reasons
       FROM core_executions e
       LEFT JOIN LATERAL (
         SELECT reason_code, count(*)::int AS count, row_number() OVER (ORDER BY count(*) DESC, reason_code) AS rank
           FROM core_rejects WHERE capture_id = e.capture_id GROUP BY reason_code) r ON true
      WHERE e.batch_id = $1 AND e.stage = 'week' AND e.status = 'gated'
      GROUP BY e.key_1, e.key_2, e.period_end, e.capture_id
      ORDER BY e.key_1, e.key_2, e.period_end`,
    [batchId],
  );
  return rows;
}
