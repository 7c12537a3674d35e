import type { Queryable } from './pool.ts';

/**
 * ANALYZE for a table that has never had statistics (pg_class.reltuples is -1 until the first VACUUM or ANALYZE):
 * right after the first load into a fresh database the planner would otherwise take the table for empty and probe
 * indexes once per row until autovacuum gets to it. Later loads keep the statistics autovacuum maintains.
 * `table` is a trusted identifier from the caller's own code.
 */
export async function analyzeIfNeverAnalyzed(db: Queryable, table: string): Promise<boolean> {
  const { rows } = await db.query<{ reltuples: number }>('SELECT reltuples FROM pg_class WHERE oid = $1::regclass', [table]);
  if (!rows[0] || rows[0].reltuples >= 0) return false;
  await db.query(`ANALYZE ${table}`);
  return true;
}
