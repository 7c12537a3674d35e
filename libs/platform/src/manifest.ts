import type { Queryable } from './db/pool.ts';
import { wireColumns, type WirePartition } from './dataset/wire-partition.ts';

/** One partition (week x tier x venue type) of a domain. */
export interface Partition {
  domain: string;
  periodEnd: string;
  key1: string;
  key2: string;
}

/** Identifies one capture of one partition of a domain. */
export interface PartitionKey extends Partition {
  captureId: string;
}

export type ManifestStatus = 'completed' | 'failed' | 'gated';

export interface ManifestEntry {
  stage: string;
  status: ManifestStatus;
  rowCount: number;
  executionId: string;
  batchId: string;
  metrics?: Record<string, unknown>;
}

export async function stageStatus(db: Queryable, key: PartitionKey, stage: string): Promise<ManifestStatus | undefined> {
  const { rows } = await db.query<{ status: ManifestStatus }>(
    `SELECT status FROM core_manifest WHERE domain = $1 AND period_end = $2 AND key_1 = $3 AND key_2 = $6 AND capture_id = $4 AND stage = $5`,
    [key.domain, key.periodEnd, key.key1, key.captureId, stage, key.key2],
  );
  return rows[0]?.status;
}

export async function recordStage(db: Queryable, key: PartitionKey, entry: ManifestEntry): Promise<void> {
  // A failed re-run rolled its rows back, so the earlier completed run still stands: its entry is kept.
  const keepCompleted = entry.status === 'failed' ? `WHERE core_manifest.status <> 'completed'` : '';
  await db.query(
    `INSERT INTO core_manifest (domain, period_end, key_1, capture_id, stage, status, row_count, execution_id, batch_id, metrics, key_2)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (domain, period_end, key_1, key_2, capture_id, stage) DO UPDATE
       SET status = EXCLUDED.status, row_count = EXCLUDED.row_count, execution_id = EXCLUDED.execution_id,
           batch_id = EXCLUDED.batch_id, metrics = EXCLUDED.metrics, updated_at = now()
       ${keepCompleted}`,
    [key.domain, key.periodEnd, key.key1, key.captureId, entry.stage, entry.status, entry.rowCount, entry.executionId,
      entry.batchId, JSON.stringify(entry.metrics ?? {}), key.key2],
  );
}

export interface StatusCell extends WirePartition {
  capture_id: string;
  revision: number;
  stages: Record<string, { status: ManifestStatus; row_count: number; updated_at: string }>;
}

/**
 * The period x keys x stage grid of the newest capture of each partition, newest periods first.
 * Parameters: the domain, how many periods, optionally one value of each key. Result: one cell per partition.
 */
export async function statusGrid(db: Queryable, domain: string, options: { periods: number; key1?: string; key2?: string }): Promise<StatusCell[]> {
  const { rows } = await db.query<StatusCell>(
    `WITH latest AS (
       SELECT DISTINCT ON (period_end, key_1, key_2) capture_id, period_end, key_1, key_2, revision
       FROM core_captures WHERE domain = $1 AND ($3::text IS NULL OR key_1 = $3) AND ($4::text IS NULL OR key_2 = $4)
       ORDER BY period_end, key_1, key_2, revision DESC),
     periods AS (SELECT DISTINCT period_end FROM latest ORDER BY period_end DESC LIMIT $2)
     SELECT ${wireColumns('l')}, l.capture_id, l.revision,
            COALESCE(jsonb_object_agg(m.stage, jsonb_build_object('status', m.status, 'row_count', m.row_count,
              'updated_at', m.updated_at)) FILTER (WHERE m.stage IS NOT NULL), '{}') AS stages
     FROM latest l JOIN periods USING (period_end)
     LEFT JOIN core_manifest m ON m.capture_id = l.capture_id
     GROUP BY l.period_end, l.key_1, l.key_2, l.capture_id, l.revision
     ORDER BY l.period_end DESC, l.key_1, l.key_2`,
    [domain, options.periods, options.key1 ?? null, options.key2 ?? null],
  );
  return rows.map((r) => ({ ...r, stages: Object.fromEntries(Object.entries(r.stages).map(([k, v]) => [k, { ...v, row_count: Number(v.row_count) }])) }));
}
