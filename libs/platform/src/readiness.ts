import type { Queryable } from './db/pool.ts';
import type { Partition } from './manifest.ts';

export type ReadinessStatus = 'pending' | 'in_progress' | 'ready' | 'gated' | 'failed' | 'late';

export async function setReadiness(
  db: Queryable,
  r: Partition & { status: ReadinessStatus; captureId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db.query(
    `INSERT INTO core_data_readiness (domain, period_end, key_1, key_2, status, capture_id, ready_at, detail)
     VALUES ($1, $2, $3, $7, $4, $5, CASE WHEN $4 = 'ready' THEN now() END, $6)
     ON CONFLICT (domain, period_end, key_1, key_2) DO UPDATE
       SET status = EXCLUDED.status, capture_id = COALESCE(EXCLUDED.capture_id, core_data_readiness.capture_id),
           ready_at = CASE WHEN EXCLUDED.status = 'ready' THEN now() ELSE core_data_readiness.ready_at END,
           detail = EXCLUDED.detail, updated_at = now()`,
    [r.domain, r.periodEnd, r.key1, r.status, r.captureId ?? null, JSON.stringify(r.detail ?? {}), r.key2],
  );
}
