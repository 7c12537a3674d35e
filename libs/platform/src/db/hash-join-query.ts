import type pg from 'pg';

/**
 * Runs one statement that joins whole partitions (a capture's tens of thousands of rows on every side) with nested
 * loops disabled, inside the caller's transaction. Right after a bulk load PostgreSQL has no statistics for the new
 * rows, estimates a handful of them, and joins by probing an index once per row: measured (bench:week, the research
 * snapshot) about twice as slow as the hash joins it chooses once autovacuum has analysed the tables. Every joined
 * table must be filtered to its partitions explicitly, so that no join can turn into a scan of the whole table.
 */
export async function queryWithHashJoins(client: pg.PoolClient, sql: string, params: unknown[]): Promise<pg.QueryResult> {
  await client.query('SET LOCAL enable_nestloop = off');
  const result = await client.query(sql, params);
  // On an error the transaction rolls back, and the SET LOCAL with it.
  await client.query('RESET enable_nestloop');
  return result;
}
