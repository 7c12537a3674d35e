import type { Pool } from '@spine/platform';

export interface RunningExecution {
  execution_id: string;
  stage: string;
  tier: string;
  week_ending: string;
  job_id: string;
  /** The worker process's pid, from core_executions.worker (`host:pid`). */
  pid: number;
  started_at: Date;
}

/**
 * Waits until core_executions shows `stage` running, started after `since`, skipping the first `skip` such
 * executions (the seeded choice of which occurrence to hit). Undefined when none appears in `timeoutMs` (the
 * backfill went past that stage). Polls at 5 ms: stages of the fault dataset last tens of milliseconds.
 */
export async function waitForRunning(pool: Pool, stage: string, options: { since: Date; skip?: number; timeoutMs: number; exclude?: (e: RunningExecution) => boolean; batchId?: string }): Promise<RunningExecution | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const seen = new Set<string>();
  for (let poll = 0; Date.now() < deadline; poll++) {
    // A closed batch runs no more stages: stop waiting instead of sitting out the timeout.
    if (options.batchId && poll % 20 === 0) {
      const { rows: [batch] } = await pool.query(`SELECT status FROM core_batches WHERE batch_id = $1`, [options.batchId]);
      if (batch && batch.status !== 'running') return undefined;
    }
    const { rows } = await pool.query<RunningExecution & { worker: string }>(
      `SELECT execution_id, stage, key_1 AS tier, to_char(period_end, 'YYYY-MM-DD') AS week_ending, job_id, worker, started_at
         FROM core_executions WHERE stage = $1 AND status = 'running' AND started_at > $2 ORDER BY started_at`,
      [stage, options.since],
    );
    for (const row of rows) {
      const execution = { ...row, pid: Number(row.worker.split(':').at(-1)) };
      if (seen.has(row.execution_id) || options.exclude?.(execution)) continue;
      seen.add(row.execution_id);
      if (seen.size > (options.skip ?? 0)) return execution;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return undefined;
}

/** Job ids with an execution running on the worker with this pid: the jobs a kill of that process stalls. */
export async function jobsRunningOn(pool: Pool, pid: number): Promise<string[]> {
  const { rows } = await pool.query<{ job_id: string }>(
    `SELECT DISTINCT job_id FROM core_executions WHERE status = 'running' AND job_id IS NOT NULL AND split_part(worker, ':', 2) = $1`,
    [String(pid)],
  );
  return rows.map((r) => r.job_id);
}

/**
 * When the stage an injection hit completed again (or was found complete and skipped): the first such execution of
 * the same job, stage, tier and week finishing after `after`. Undefined if it never did.
 */
export async function recoveredAt(pool: Pool, hit: Pick<RunningExecution, 'job_id' | 'stage' | 'tier' | 'week_ending'>, after: Date): Promise<Date | undefined> {
  const { rows } = await pool.query<{ finished_at: Date | null }>(
    `SELECT min(finished_at) AS finished_at FROM core_executions
      WHERE job_id = $1 AND stage = $2 AND key_1 = $3 AND period_end = $4 AND status IN ('completed', 'skipped') AND finished_at > $5`,
    [hit.job_id, hit.stage, hit.tier, hit.week_ending, after],
  );
  return rows[0]?.finished_at ?? undefined;
}
