import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';

export type BatchKind = 'manual' | 'backfill' | 'scheduled' | 'demo';
export type BatchStatus = 'running' | 'completed' | 'failed' | 'partial';

/** Sortable, readable batch ids: kind, UTC timestamp, random suffix. */
export function newBatchId(kind: BatchKind, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${kind}-${stamp}-${randomBytes(3).toString('hex')}`;
}

export interface NewBatch {
  batchId?: string;
  kind: BatchKind;
  domain: string;
  params: Record<string, unknown>;
  weeksTotal: number;
  requestedBy?: string;
}

export async function createBatch(db: Queryable, batch: NewBatch): Promise<string> {
  const batchId = batch.batchId ?? newBatchId(batch.kind);
  await db.query(
    `INSERT INTO core_batches (batch_id, kind, domain, params, weeks_total, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [batchId, batch.kind, batch.domain, JSON.stringify(batch.params), batch.weeksTotal, batch.requestedBy ?? null],
  );
  return batchId;
}

/** Closes a batch; `reason` says why when it did not run to its end (kept from an earlier close otherwise). */
export async function finishBatch(db: Queryable, batchId: string, status: BatchStatus, reason?: string): Promise<void> {
  await db.query('UPDATE core_batches SET status = $2, finished_at = now(), close_reason = COALESCE($3, close_reason) WHERE batch_id = $1',
    [batchId, status, reason ?? null]);
}
