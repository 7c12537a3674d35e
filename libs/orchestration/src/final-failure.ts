import pRetry from 'p-retry';
import { failRunningExecution, fromWire, finishBatch, partitionKeys, recordPartitionEnd, transientReason, wirePartitionIn, type DatasetDefinition, type DatasetRegistry, type Logger, type Pool } from '@spine/platform';
import { BATCH_JOBS, chainClosesBatch, lastStageOf } from './flow-tree.ts';
import { stageJobId } from './job-ids.ts';
import { locateJob, type RoleQueues } from './job-location.ts';

/**
 * Records a job that failed for good: its week's execution is failed, and a batch that this job would have
 * closed (a single-week chain's last stage, a backfill's batch or window job) is closed as failed. A backfill week
 * is also detached from its tier's window job, so the other weeks of the tier get their windows and the batch can
 * end; a later retry from Bull Board still resumes the week's chain, which then runs its own windows.
 * Idempotent: recording the same failure twice (a worker and the reconciler) changes nothing more.
 */
export async function recordFinalFailure(pool: Pool, queues: RoleQueues, dataset: DatasetDefinition, jobName: string, data: Record<string, unknown>, message: string): Promise<void> {
  const lastStage = typeof data.last_stage === 'string' ? data.last_stage : undefined;
  const week = wirePartitionIn(data, partitionKeys(dataset)[1].legacyDefault);
  const outcome = { status: 'failed', stage: jobName, error: message } as const;
  const weekClosesBatch = chainClosesBatch(dataset, data);
  if (typeof data.week_execution_id === 'string' && typeof data.batch_id === 'string' && week) {
    // A week's job: recorded as `spine run-week` records a failed partition (its readiness too).
    const key = fromWire(dataset.name, week);
    await recordPartitionEnd(pool, { key, batchId: data.batch_id, executionId: data.week_execution_id, outcome, closesBatch: weekClosesBatch });
  } else {
    // A batch's job, or a week's whose data is incomplete (invalid job data): its execution and batch without readiness.
    if (typeof data.week_execution_id === 'string') await failRunningExecution(pool, data.week_execution_id, `${jobName}: ${message}`);
    const closesBatch = jobName === BATCH_JOBS.finalize || jobName === BATCH_JOBS.windows || (weekClosesBatch && typeof data.week_execution_id === 'string');
    if (closesBatch && typeof data.batch_id === 'string') await finishBatch(pool, data.batch_id, 'failed', `${jobName} failed: ${message}`);
  }
  const batchWeekEnd = lastStageOf(dataset, true);
  if (lastStage === batchWeekEnd && !chainClosesBatch(dataset, data) && week) {
    const forcedBy = data.force === true && typeof data.batch_id === 'string' ? data.batch_id : undefined;
    const { job: top } = await locateJob(queues, 'stage', stageJobId(dataset, week, week.week_ending, batchWeekEnd, forcedBy));
    if (top?.parentKey) await top.removeChildDependency();
  }
}

export interface DurableRecordOptions {
  logger: Logger;
  /** Ends the retries (process shutdown); the reconciler then records what was left. */
  signal?: AbortSignal;
  maxDelayMs?: number;
}

/**
 * recordFinalFailure, retried with backoff for as long as PostgreSQL or Redis is unreachable: a failure recorded
 * during an outage is recorded once the outage ends. Errors that waiting cannot cure end the retries at once.
 */
export async function recordFinalFailureDurably(
  pool: Pool, queues: RoleQueues, datasets: DatasetRegistry, job: { id?: string; name: string; data: Record<string, unknown> }, message: string, options: DurableRecordOptions,
): Promise<void> {
  // Data naming no registered dataset failed as invalid data: recorded as the first dataset's, whose fields it may carry.
  const named = typeof job.data.dataset === 'string' && datasets.names().includes(job.data.dataset) ? job.data.dataset : undefined;
  const dataset = datasets.of(named);
  await pRetry(() => recordFinalFailure(pool, queues, dataset, job.name, job.data, message), {
    retries: Number.POSITIVE_INFINITY, minTimeout: 500, factor: 2, maxTimeout: options.maxDelayMs ?? 30_000, signal: options.signal,
    shouldRetry: ({ error }) => transientReason(error) !== undefined,
    onFailedAttempt: ({ error, attemptNumber }) => {
      options.logger.warn({ job: job.id, attempt: attemptNumber, err: error.message, retrying: transientReason(error) !== undefined },
        'recording a final failure failed');
    },
  });
}
