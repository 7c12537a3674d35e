import type { Pool } from '@spine/platform';
import { OTC_TABLES } from '../../support/tables.ts';

/** What the fault suite compares: every derived table plus the rejects and quality checks. */
export const COMPARED_TABLES = [...OTC_TABLES, 'core_rejects', 'core_quality'] as const;

/** Fields that legitimately differ between a disturbed and an undisturbed run: who wrote a row, when, under which capture. */
const AUDIT = new Set(['execution_id', 'batch_id', 'captured_at', 'checked_at', 'reject_id', 'capture_id']);

export interface TableDiff {
  /** Rows of the reference missing from the run (counted with multiplicity). */
  lost: number;
  /** Rows of the run beyond the reference: duplicates, or rows with other values. */
  duplicated: number;
  perTable: Record<string, { lost: number; duplicated: number; reference: number; actual: number }>;
}

async function multiset(pool: Pool, table: string): Promise<Map<string, number>> {
  const { rows } = await pool.query(`SELECT * FROM ${table}`);
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = JSON.stringify(Object.entries(row).filter(([k]) => !AUDIT.has(k)).sort(([a], [b]) => a.localeCompare(b)));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Compares every table of `actual` with `reference` as multisets of rows without audit fields. */
export async function diffTables(actual: Pool, reference: Pool, tables: readonly string[] = COMPARED_TABLES): Promise<TableDiff> {
  const out: TableDiff = { lost: 0, duplicated: 0, perTable: {} };
  for (const table of tables) {
    const [want, got] = [await multiset(reference, table), await multiset(actual, table)];
    let lost = 0;
    let duplicated = 0;
    for (const [key, n] of want) lost += Math.max(0, n - (got.get(key) ?? 0));
    for (const [key, n] of got) duplicated += Math.max(0, n - (want.get(key) ?? 0));
    const size = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    out.perTable[table] = { lost, duplicated, reference: size(want), actual: size(got) };
    out.lost += lost;
    out.duplicated += duplicated;
  }
  return out;
}

/**
 * Rows written by an execution that did not complete: a stage that was killed, stopped or timed out must leave
 * nothing behind (its transaction rolled back), so this is "never half-written".
 */
export async function halfWrittenRows(pool: Pool, tables: readonly string[] = COMPARED_TABLES): Promise<number> {
  let total = 0;
  for (const table of tables) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${table} t JOIN core_executions e USING (execution_id) WHERE e.status NOT IN ('completed', 'gated')`,
    );
    total += Number(rows[0]!.n);
  }
  return total;
}

/** Batches not closed (still `running`): the "nothing stuck" half of the contract. */
export async function openBatches(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ batch_id: string }>(`SELECT batch_id FROM core_batches WHERE status = 'running' OR finished_at IS NULL`);
  return rows.map((r) => r.batch_id);
}
