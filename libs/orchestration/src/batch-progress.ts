import { wireColumns, wireOf, type Pool } from '@spine/platform';
import type { EnqueueDeps } from './batch-enqueue.ts';
import { locateJob } from './job-location.ts';
import { stageJobId, type WeekKey } from './job-ids.ts';

export interface BatchProgress {
  batch_id: string;
  kind: string;
  status: string;
  weeks_total: number;
  weeks_done: number;
  weeks_gated: number;
  weeks_failed: number;
  rows_ingested: number;
  created_at: string;
  finished_at: string | null;
  elapsed_ms: number;
  failures: BatchFailure[];
  /** Weeks recorded as failed whose chain runs again (a failed job was retried): not ended, whatever the batch says. */
  retrying: WeekKey[];
  /** True once every week finished (completed, gated or failed) and, for a backfill, its window job ran. */
  ended: boolean;
}

/** A week whose job failed for good (its attempts used up): the job waits in the failed set for a retry. */
export interface BatchFailure extends WeekKey {
  stage: string;
  error: string;
  /** Where the failed job is, for Bull Board and for a retry. */
  job: { queue: string; id: string };
}

/** The queues a batch's jobs are on, and the datasets that name its jobs. */
export type BatchQueues = Pick<EnqueueDeps, 'fetchQueue' | 'stageQueue' | 'legacy' | 'datasets'>;

/** A job a worker will take: a retried one is in one of these, and a parent waiting for its children is not. */
const RUNNABLE = new Set(['waiting', 'active', 'delayed', 'prioritized']);

/**
 * A batch's progress from PostgreSQL (weeks done, rows) and, when queues are given, from BullMQ: a week whose job
 * exhausted its attempts counts as failed although its chain still waits for a retry.
 */
export async function batchProgress(pool: Pool, batchId: string, queues?: BatchQueues): Promise<BatchProgress | undefined> {
  const { rows } = await pool.query(
    `SELECT b.batch_id, b.domain, b.kind, b.status, b.weeks_total, b.created_at, b.finished_at, b.params,
            (extract(epoch FROM COALESCE(b.finished_at, now()) - b.created_at) * 1000)::bigint AS elapsed_ms,
            count(*) FILTER (WHERE e.stage = 'week' AND e.status = 'completed')::int AS weeks_done,
            count(*) FILTER (WHERE e.stage = 'week' AND e.status = 'gated')::int AS weeks_gated,
            COALESCE(sum((e.metrics->>'rows')::bigint) FILTER (WHERE e.stage = 'ingest' AND e.status = 'completed'), 0)::bigint AS rows_ingested
       FROM core_batches b LEFT JOIN core_executions e ON e.batch_id = b.batch_id
      WHERE b.batch_id = $1
      GROUP BY b.batch_id`,
    [batchId],
  );
  const b = rows[0];
  if (!b) return undefined;
  const { rows: weeks } = await pool.query<WeekKey & { status: string; job_id: string | null }>(
    `SELECT ${wireColumns()}, status, job_id FROM core_executions WHERE batch_id = $1 AND stage = 'week'`,
    [batchId],
  );
  const failures: BatchProgress['failures'] = [];
  const retrying: BatchProgress['retrying'] = [];
  if (queues) {
    const forcedBy = b.params?.force ? batchId : undefined;
    const dataset = queues.datasets.get(b.domain);
    // The chain from its first stage on: the first job that failed, or runs again, says where the week stands.
    for (const week of weeks.filter((w) => w.status === 'running' || w.status === 'failed')) {
      for (const { name: stage, queue: queueKind } of dataset.stages) {
        const { queue, job } = await locateJob(queues, queueKind, stageJobId(dataset, week, week.week_ending, stage, forcedBy));
        const state = job ? await job.getState() : undefined;
        if (state === 'failed') {
          failures.push({ ...wireOf(week), stage, error: job!.failedReason, job: { queue: queue.name, id: job!.id! } });
          break;
        }
        if (week.status === 'failed' && state !== undefined && RUNNABLE.has(state)) {
          retrying.push(wireOf(week));
          break;
        }
      }
    }
  }
  const weeksDone = Number(b.weeks_done);
  const weeksGated = Number(b.weeks_gated);
  const finishedWeeks = weeksDone + weeksGated + failures.length;
  const ended = retrying.length === 0 && (b.finished_at !== null || (failures.length > 0 && finishedWeeks >= Number(b.weeks_total)));
  return {
    batch_id: b.batch_id, kind: b.kind, status: b.status, weeks_total: Number(b.weeks_total), weeks_done: weeksDone, weeks_gated: weeksGated,
    weeks_failed: failures.length, rows_ingested: Number(b.rows_ingested), created_at: b.created_at.toISOString(),
    finished_at: b.finished_at?.toISOString() ?? null, elapsed_ms: Number(b.elapsed_ms), failures, retrying, ended,
  };
}
