import type { Queue } from 'bullmq';
import { finishBatch, type Pool } from '@spine/platform';
import type { TIERS } from '@spine/otc';
import { stageJobId } from './job-ids.ts';

/**
 * Records a job that used up its attempts: its week's execution is failed, and a batch that this job would have
 * closed (a single-week chain's last stage, a backfill's batch job) is closed as failed. A backfill week is also
 * detached from its tier's window job, so the other weeks of the tier get their windows and the batch can end;
 * a later retry from Bull Board still resumes the week's chain, which then runs its own windows.
 */
export async function recordFinalFailure(pool: Pool, stageQueue: Queue, jobName: string, data: Record<string, unknown>, message: string): Promise<void> {
  if (typeof data.week_execution_id === 'string') {
    await pool.query(`UPDATE core_executions SET status = 'failed', error = $2, finished_at = now() WHERE execution_id = $1 AND status = 'running'`,
      [data.week_execution_id, `${jobName}: ${message}`]);
  }
  const closesBatch = jobName === 'finalize-batch' || (data.last_stage === 'snapshot' && typeof data.week_execution_id === 'string');
  if (closesBatch && typeof data.batch_id === 'string') await finishBatch(pool, data.batch_id, 'failed');
  if (data.last_stage === 'aggregate' && typeof data.tier === 'string' && typeof data.week_ending === 'string') {
    const forcedBy = data.force === true && typeof data.batch_id === 'string' ? data.batch_id : undefined;
    const top = await stageQueue.getJob(stageJobId(data.tier as (typeof TIERS)[number], data.week_ending, 'aggregate', forcedBy));
    if (top?.parentKey) await top.removeChildDependency();
  }
}
