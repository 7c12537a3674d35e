import type { Queryable } from './db/pool.ts';
import { finishBatch, type BatchStatus } from './lineage/batches.ts';
import { failRunningExecution, finishExecution } from './lineage/executions.ts';
import type { Partition, PartitionKey } from './manifest.ts';
import { setReadiness } from './readiness.ts';

/**
 * How one partition's run ended: every stage of its chain completed, a quality gate stopped it at a stage (on
 * purpose, no error), or a stage failed.
 */
export type PartitionOutcome =
  | { status: 'completed' }
  | { status: 'gated'; stage: string }
  | { status: 'failed'; stage: string; error: string };

/**
 * The status and close reason of a batch that held this one partition. A gated partition closes its batch `partial`,
 * not `failed`: nothing broke and there is no job to retry (running the same content again stops at the same gate);
 * the batch did not publish what it was asked to, so it is listed with the problems (`/batches?problems=1`) and
 * says why. The same rule as a backfill's: a gated week makes it partial. Only a failure is `failed`.
 */
export function partitionBatchClose(partition: Omit<Partition, 'domain'>, outcome: PartitionOutcome): { status: BatchStatus; reason?: string } {
  if (outcome.status === 'completed') return { status: 'completed' };
  const label = `${partition.key1} ${partition.key2} ${partition.periodEnd}`;
  if (outcome.status === 'gated') return { status: 'partial', reason: `${outcome.stage}: the quality gate stopped ${label}` };
  return { status: 'failed', reason: `${outcome.stage} failed: ${outcome.error}` };
}

/** A partition's capture is known and its stages are about to run: readiness says in progress. */
export async function recordPartitionStarted(db: Queryable, key: PartitionKey, batchId: string): Promise<void> {
  await setReadiness(db, { ...key, status: 'in_progress', captureId: key.captureId, detail: { batch_id: batchId } });
}

export interface PartitionEnd {
  /** The partition; its capture when one was resolved (a failed fetch has none). */
  key: Partition & { captureId?: string };
  batchId: string;
  /** The partition's own execution (stage `week`), the parent of its stages' executions. */
  executionId: string;
  outcome: PartitionOutcome;
  /** The partition is the batch's only one, so its outcome is the batch's (a backfill's batch job closes a batch of several). */
  closesBatch: boolean;
  /**
   * Its stages over neighbouring periods are still to run (a backfill's window job runs them, then calls
   * recordPartitionReady): a completed chain leaves it in progress until then.
   */
  windowsPending?: boolean;
  metrics?: Record<string, unknown>;
}

/**
 * What the end of one partition's chain records, whichever process ran it (`spine run-week` in-process, or the
 * worker's stage jobs): its execution's status (a failure only of a running one), its readiness (ready, gated or failed) and, when it is the batch's
 * only partition, the batch's status and close reason (partitionBatchClose).
 */
export async function recordPartitionEnd(db: Queryable, end: PartitionEnd): Promise<void> {
  const { key, outcome } = end;
  if (outcome.status === 'failed') {
    await failRunningExecution(db, end.executionId, `${outcome.stage}: ${outcome.error}`);
  } else {
    // A week recorded failed whose retried job then completed is completed.
    await finishExecution(db, end.executionId, { status: outcome.status, captureId: key.captureId, metrics: end.metrics });
  }
  if (!(outcome.status === 'completed' && end.windowsPending)) {
    const readiness = outcome.status === 'completed' ? 'ready' : outcome.status;
    await setReadiness(db, { ...key, status: readiness, captureId: key.captureId, detail: { batch_id: end.batchId } });
  }
  if (end.closesBatch) {
    const close = partitionBatchClose(key, outcome);
    await finishBatch(db, end.batchId, close.status, close.reason);
  }
}

/** A backfill week whose window stages ran after its own chain completed: its data is ready. */
export async function recordPartitionReady(db: Queryable, key: PartitionKey, batchId: string): Promise<void> {
  await setReadiness(db, { ...key, status: 'ready', captureId: key.captureId, detail: { batch_id: batchId } });
}
