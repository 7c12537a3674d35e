import type pg from 'pg';
import type { Logger } from 'pino';
import { withTransaction } from './db/pool.ts';
import { toWire } from './dataset/wire-partition.ts';
import { finishExecution, startExecution, type ExecutionContext } from './lineage/executions.ts';
import { recordStage, stageStatus, type PartitionKey } from './manifest.ts';

export interface StageContext extends ExecutionContext {
  key: PartitionKey;
  capturedAt: string;
  force: boolean;
  logger?: Logger;
}

export interface StageOutcome {
  /** 'gated' stops the partition's chain on purpose (a quality gate), without being an error. */
  status: 'completed' | 'gated';
  rowCount: number;
  metrics: Record<string, unknown>;
}

export interface StageDefinition {
  name: string;
  /**
   * The advisory locks the stage's transaction takes, in this order: its own partition's, preceded by its series'
   * for a stage that rewrites neighbouring periods (a rolling window must not race a neighbour's run). The dataset's
   * codec names them (DatasetDefinition.codec.lockName).
   */
  lockNames(key: PartitionKey): readonly string[];
  run(client: pg.PoolClient, ctx: StageContext): Promise<StageOutcome>;
}

export interface RunStageRequest {
  key: PartitionKey;
  stage: StageDefinition;
  pipeline: string;
  batchId: string;
  parent: Pick<ExecutionContext, 'executionId' | 'correlationId'> | null;
  force: boolean;
  jobId?: string | null;
  attempt?: number;
  logger?: Logger;
  /** Limits of the stage's transaction, longer than a connection's defaults: stages rewrite whole weeks. */
  timeouts?: StageTimeouts;
  /** Aborts the stage: its transaction's backend is ended, so its rows roll back and its locks are released. */
  signal?: AbortSignal;
}

export interface StageTimeouts {
  statementMs: number;
  lockMs: number;
}

export interface StageRun {
  stage: string;
  executionId: string;
  status: 'completed' | 'gated' | 'skipped';
  rowCount: number;
  durationMs: number;
  metrics: Record<string, unknown>;
}

/**
 * Runs one stage of one capture exactly once: an execution row is written first (visible while it runs), then,
 * inside one transaction holding the stage's advisory lock, the manifest is consulted (a completed stage is
 * skipped unless forced), the stage writes its rows, the manifest records the outcome and the execution is marked
 * finished. All three commit together: a worker killed right after the commit leaves no `running` execution behind
 * for the takeover to mark abandoned while its rows and manifest entry say it completed. A failure rolls the stage's
 * rows back and leaves a failed execution and manifest entry behind.
 */
export async function runStage(pool: pg.Pool, req: RunStageRequest): Promise<StageRun> {
  const started = performance.now();
  const ctx = await startExecution(pool, {
    parent: req.parent, batchId: req.batchId, pipeline: req.pipeline, stage: req.stage.name,
    periodEnd: req.key.periodEnd, key1: req.key.key1, key2: req.key.key2, captureId: req.key.captureId, jobId: req.jobId, attempt: req.attempt,
  });
  try {
    const result = await withTransaction(pool, async (client) => {
      // One round trip for the transaction's settings (set_config(..., true) is SET LOCAL) and its start time.
      // The stage's rows and its manifest entry commit together, so a commit lost in a crash only means the stage
      // runs again: not waiting for the WAL flush is safe here and saves a disk sync per stage. Set-based stages sort
      // and hash a whole week at once; the default work_mem of 4 MB spills them to disk.
      const timeouts = req.timeouts ? `, set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)` : '';
      const { rows: [transaction] } = await client.query<{ now: Date }>(
        `SELECT now(), set_config('synchronous_commit', 'off', true), set_config('work_mem', '64MB', true)${timeouts}`,
        req.timeouts ? [`${req.timeouts.statementMs}ms`, `${req.timeouts.lockMs}ms`] : []);
      for (const lockName of req.stage.lockNames(req.key)) {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockName]);
      }
      const previous = await stageStatus(client, req.key, req.stage.name);
      if (previous === 'completed' && !req.force) {
        await finishExecution(client, ctx.executionId, { status: 'skipped', metrics: finishedMetrics(undefined, started) });
        return undefined;
      }
      // now() is the transaction's start, whenever it is read.
      const capturedAt = transaction!.now.toISOString();
      const outcome = await req.stage.run(client, { ...ctx, key: req.key, capturedAt, force: req.force, logger: req.logger });
      await recordStage(client, req.key, {
        stage: req.stage.name, status: outcome.status, rowCount: outcome.rowCount, executionId: ctx.executionId,
        batchId: req.batchId, metrics: outcome.metrics,
      });
      await finishExecution(client, ctx.executionId, { status: outcome.status, metrics: finishedMetrics(outcome, started) });
      return outcome;
    }, { signal: req.signal });
    const status = result?.status ?? 'skipped';
    const metrics = finishedMetrics(result, started);
    const durationMs = metrics.duration_ms;
    req.logger?.info({ stage: req.stage.name, ...toWire(req.key), status, ...metrics }, 'stage finished');
    return { stage: req.stage.name, executionId: ctx.executionId, status, rowCount: result?.rowCount ?? 0, durationMs, metrics };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishExecution(pool, ctx.executionId, { status: 'failed', error: message, metrics: { duration_ms: Math.round(performance.now() - started) } });
    await recordStage(pool, req.key, { stage: req.stage.name, status: 'failed', rowCount: 0, executionId: ctx.executionId, batchId: req.batchId, metrics: { error: message } });
    throw new Error(`stage ${req.stage.name} failed for ${req.key.key1} ${req.key.key2} ${req.key.periodEnd}: ${message}`, { cause: error });
  }
}

function finishedMetrics(outcome: StageOutcome | undefined, started: number): Record<string, unknown> & { duration_ms: number } {
  return { ...(outcome?.metrics ?? {}), rows: outcome?.rowCount ?? 0, duration_ms: Math.round(performance.now() - started) };
}
