import type { Pool } from '@spine/platform';
import { diffTables, halfWrittenRows, openBatches } from './table-diff.ts';

export interface Outcome {
  lost: number;
  duplicated: number;
  halfWritten: number;
  open: string[];
  /** Every batch's status, for the assertion message. */
  batches: string[];
}

/** What every scenario asserts once its batches closed: equal to the reference, nothing half-written, nothing open. */
export async function outcome(pool: Pool, reference: Pool): Promise<Outcome> {
  const diff = await diffTables(pool, reference);
  const { rows } = await pool.query<{ status: string }>(`SELECT status FROM core_batches ORDER BY created_at`);
  return { lost: diff.lost, duplicated: diff.duplicated, halfWritten: await halfWrittenRows(pool), open: await openBatches(pool), batches: rows.map((r) => r.status) };
}

/** Resolves once core_executions shows `stage` running (or completed) at least `n` times: "mid-backfill". */
export async function waitForStage(pool: Pool, stage: string, n = 1, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM core_executions WHERE stage = $1 AND status IN ('running', 'completed')`, [stage]);
    if (Number(rows[0]!.n) >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${stage} stage ran ${n} time(s) within ${timeoutMs} ms`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
