import type { Queryable } from '../db/pool.ts';
import type { PartitionKey } from '../manifest.ts';

export type QualityStatus = 'PASS' | 'WARN' | 'FAIL';

export interface QualityResult {
  checkName: string;
  status: QualityStatus;
  observed: number | string | null;
  threshold: number | string | null;
  message: string;
}

/**
 * Every source line is accounted for: the rows stored plus the lines rejected equal the lines the source had. A
 * dataset-free check each dataset runs on its own capture; FAIL means lines were lost or stored twice.
 */
export function lineAccounting(accepted: number, rejected: number, sourceLines: number): QualityResult {
  const ok = accepted + rejected === sourceLines;
  return {
    checkName: 'line_accounting', threshold: sourceLines, observed: accepted + rejected, status: ok ? 'PASS' : 'FAIL',
    message: `${accepted} accepted + ${rejected} rejected ${ok ? '=' : '!='} ${sourceLines} source lines`,
  };
}

/** Upserts check results for one capture: re-running a check replaces its previous verdict. */
export async function storeQualityResults(
  db: Queryable,
  key: PartitionKey,
  lineage: { executionId: string; batchId: string },
  results: QualityResult[],
): Promise<void> {
  if (results.length === 0) return;
  await db.query(
    `INSERT INTO core_quality (domain, period_end, key_1, key_2, capture_id, check_name, status, observed, threshold, message, execution_id, batch_id)
     SELECT $1, $2, $3, $8, $4, r.check_name, r.status, r.observed, r.threshold, r.message, $5, $6
       FROM jsonb_to_recordset($7::jsonb) AS r(check_name text, status text, observed numeric, threshold numeric, message text)
     ON CONFLICT (capture_id, check_name) DO UPDATE
       SET status = EXCLUDED.status, observed = EXCLUDED.observed, threshold = EXCLUDED.threshold,
           message = EXCLUDED.message, execution_id = EXCLUDED.execution_id, batch_id = EXCLUDED.batch_id, checked_at = now()`,
    [key.domain, key.periodEnd, key.key1, key.captureId, lineage.executionId, lineage.batchId,
      JSON.stringify(results.map((r) => ({ check_name: r.checkName, status: r.status, observed: r.observed, threshold: r.threshold, message: r.message }))), key.key2],
  );
}
