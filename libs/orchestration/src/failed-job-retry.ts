import { sameWirePartition, seriesFromWire, type Pool } from '@spine/platform';
import { batchProgress, type BatchFailure, type BatchQueues } from './batch-progress.ts';
import type { WeekKey } from './job-ids.ts';
import { queueNamed } from './job-location.ts';

/**
 * Retries the failed jobs of a batch (all, or one partition's), as Bull Board's Retry does: the chain resumes at
 * the failed stage. Returns the failures it retried; a job that is no longer failed (retried meanwhile) is left.
 */
export async function retryBatchFailures(pool: Pool, batchId: string, queues: BatchQueues, only?: WeekKey): Promise<BatchFailure[]> {
  const progress = await batchProgress(pool, batchId, queues);
  if (!progress) return [];
  const wanted = progress.failures.filter((f) => !only || sameWirePartition(f, only));
  const retried: BatchFailure[] = [];
  for (const failure of wanted) {
    const job = await queueNamed(queues, failure.job.queue)?.getJob(failure.job.id);
    if (!job || (await job.getState()) !== 'failed') continue;
    await job.retry('failed');
    retried.push(failure);
  }
  return retried;
}

/** The batches whose newest run of the partition failed, newest first: where a retry of the partition starts. */
export async function failedRunsOf(pool: Pool, week: WeekKey): Promise<string[]> {
  const { key1, key2 } = seriesFromWire(week);
  const { rows } = await pool.query<{ batch_id: string }>(
    `SELECT batch_id FROM core_executions WHERE stage = 'week' AND status = 'failed' AND key_1 = $1 AND key_2 = $2 AND period_end = $3
      ORDER BY started_at DESC`,
    [key1, key2, week.week_ending],
  );
  return rows.map((r) => r.batch_id);
}

/** Retries the partition's failed job, whichever batch it belongs to; the failures retried (none: nothing to retry). */
export async function retryPartition(pool: Pool, week: WeekKey, queues: BatchQueues): Promise<BatchFailure[]> {
  for (const batchId of await failedRunsOf(pool, week)) {
    const retried = await retryBatchFailures(pool, batchId, queues, week);
    if (retried.length > 0) return retried;
  }
  return [];
}
