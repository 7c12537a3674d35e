import type { Queryable } from '../db/pool.ts';

export type AnomalyCategory = 'QUALITY_GATE' | 'QUALITY' | 'FRESHNESS' | 'PIPELINE';
export type AnomalySeverity = 'INFO' | 'WARN' | 'CRITICAL' | 'ERROR';

export interface Anomaly {
  domain: string;
  category: AnomalyCategory;
  severity: AnomalySeverity;
  periodEnd?: string | null;
  key1?: string | null;
  key2?: string | null;
  captureId?: string | null;
  message: string;
  detail?: Record<string, unknown>;
  executionId?: string | null;
  batchId?: string | null;
}

export async function recordAnomaly(db: Queryable, a: Anomaly): Promise<void> {
  await db.query(
    `INSERT INTO core_anomalies (domain, category, severity, period_end, key_1, key_2, capture_id, message, detail, execution_id, batch_id)
     VALUES ($1, $2, $3, $4, $5, $11, $6, $7, $8, $9, $10)`,
    [a.domain, a.category, a.severity, a.periodEnd ?? null, a.key1 ?? null, a.captureId ?? null, a.message,
      JSON.stringify(a.detail ?? {}), a.executionId ?? null, a.batchId ?? null, a.key2 ?? null],
  );
}
