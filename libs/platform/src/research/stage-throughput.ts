import type { Queryable } from '../db/pool.ts';
import { isoInstant } from './research-endpoint.ts';

/** How many jobs of one pipeline stage ended in one period, by outcome. */
export interface StageThroughput {
  period_start: string;
  stage: string;
  completed: number;
  failed: number;
}

export type ThroughputPeriod = 'hour' | 'day';

/**
 * The queues' throughput over time: the stage executions (one per job a worker ran) that ended in each hour or day
 * from `since` to `until`, per stage, completed apart from failed. The parents (a batch's enqueue, a week's run) are
 * left out: no queue job is behind them.
 * Parameters: $1 period, $2 since, $3 until. Result: periods in order, only those in which something ended.
 */
export async function stageThroughput(db: Queryable, range: { since: Date; until: Date; period: ThroughputPeriod }): Promise<StageThroughput[]> {
  const { rows } = await db.query<StageThroughput>(
    `SELECT ${isoInstant('date_trunc($1::text, e.finished_at, \'UTC\')')} AS period_start, e.stage,
            count(*) FILTER (WHERE e.status = 'completed')::int AS completed, count(*) FILTER (WHERE e.status = 'failed')::int AS failed
       FROM core_executions e
      WHERE e.finished_at >= $2 AND e.finished_at < $3 AND e.stage NOT IN ('batch', 'week')
      GROUP BY 1, 2 ORDER BY 1, e.stage COLLATE "C"`,
    [range.period, range.since, range.until],
  );
  return rows;
}
