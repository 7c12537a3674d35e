import { finishBatch, type Pool } from '@spine/platform';

/**
 * Records a job that used up its attempts: its week's execution is failed, and a batch that this job would have
 * closed (a single-week chain's last stage, a backfill's batch job) is closed as failed. A later retry from Bull
 * Board that succeeds overwrites both.
 */
export async function recordFinalFailure(pool: Pool, jobName: string, data: Record<string, unknown>, message: string): Promise<void> {
  if (typeof data.week_execution_id === 'string') {
    await pool.query(`UPDATE core_executions SET status = 'failed', error = $2, finished_at = now() WHERE execution_id = $1 AND status = 'running'`,
      [data.week_execution_id, `${jobName}: ${message}`]);
  }
  const closesBatch = jobName === 'finalize-batch' || (data.last_stage === 'snapshot' && typeof data.week_execution_id === 'string');
  if (closesBatch && typeof data.batch_id === 'string') await finishBatch(pool, data.batch_id, 'failed');
}
