import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';

export type ExecutionStatus = 'running' | 'completed' | 'failed' | 'skipped' | 'gated';

/** Who is running what, and why: carried by every stage run and stamped on every row it writes. */
export interface ExecutionContext {
  executionId: string;
  parentExecutionId: string | null;
  batchId: string;
  correlationId: string;
  pipeline: string;
  stage: string;
  periodEnd: string | null;
  key1: string | null;
  key2: string | null;
}

export interface StartExecution {
  parent?: Pick<ExecutionContext, 'executionId' | 'correlationId'> | null;
  batchId: string;
  pipeline: string;
  stage: string;
  periodEnd?: string | null;
  key1?: string | null;
  key2?: string | null;
  captureId?: string | null;
  jobId?: string | null;
  attempt?: number;
  status?: ExecutionStatus;
}

export function workerIdentity(): string {
  return `${hostname()}:${process.pid}`;
}

export async function startExecution(db: Queryable, start: StartExecution): Promise<ExecutionContext> {
  const executionId = randomUUID();
  const correlationId = start.parent?.correlationId ?? executionId;
  await db.query(
    `INSERT INTO core_executions (execution_id, parent_execution_id, batch_id, correlation_id, pipeline, stage,
       period_end, key_1, capture_id, status, attempt, job_id, worker, key_2)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      executionId, start.parent?.executionId ?? null, start.batchId, correlationId, start.pipeline, start.stage,
      start.periodEnd ?? null, start.key1 ?? null, start.captureId ?? null, start.status ?? 'running',
      start.attempt ?? 1, start.jobId ?? null, workerIdentity(), start.key2 ?? null,
    ],
  );
  return {
    executionId,
    parentExecutionId: start.parent?.executionId ?? null,
    batchId: start.batchId,
    correlationId,
    pipeline: start.pipeline,
    stage: start.stage,
    periodEnd: start.periodEnd ?? null,
    key1: start.key1 ?? null,
    key2: start.key2 ?? null,
  };
}

export interface FinishExecution {
  status: Exclude<ExecutionStatus, 'running'>;
  metrics?: Record<string, unknown>;
  error?: string | null;
  captureId?: string | null;
}

/** Fails an execution that is still running: a failure recorded twice (a worker and the reconciler) keeps the first record. */
export async function failRunningExecution(db: Queryable, executionId: string, error: string): Promise<void> {
  await db.query(`UPDATE core_executions SET status = 'failed', error = $2, finished_at = now() WHERE execution_id = $1 AND status = 'running'`, [executionId, error]);
}

export async function finishExecution(db: Queryable, executionId: string, finish: FinishExecution): Promise<void> {
  await db.query(
    `UPDATE core_executions
        SET status = $2, metrics = metrics || $3::jsonb, error = $4, finished_at = now(),
            capture_id = COALESCE($5, capture_id)
      WHERE execution_id = $1`,
    [executionId, finish.status, JSON.stringify(finish.metrics ?? {}), finish.error ?? null, finish.captureId ?? null],
  );
}

/**
 * Marks executions of a queue job that are still `running` as failed: their worker died (SIGKILL, lost host) and
 * the queue handed the job to another worker, whose new attempt is about to start. Executions that group others
 * (a week, a batch) are left open: their job id names the job that closes them, which has not run yet.
 */
export async function abandonRunningExecutions(db: Queryable, jobId: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE core_executions e SET status = 'failed', finished_at = now(), error = 'abandoned: the worker stopped before finishing; the job was retried'
      WHERE e.job_id = $1 AND e.status = 'running'
        AND NOT EXISTS (SELECT 1 FROM core_executions c WHERE c.parent_execution_id = e.execution_id)`,
    [jobId],
  );
  return rowCount ?? 0;
}
