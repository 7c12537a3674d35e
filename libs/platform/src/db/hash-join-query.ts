import type pg from 'pg';

/**
 * Runs one statement that joins whole partitions (a capture's tens of thousands of rows on every side) with nested
 * loops disabled, inside the caller's transaction. Right after a bulk load PostgreSQL has no statistics for the new
 * rows, estimates a handful of them, and joins by probing an index once per row: measured (bench:week, the research
 * snapshot) about twice as slow as the hash joins it chooses once autovacuum has analysed the tables. Every joined
 * table must be filtered to its partitions explicitly, so that no join can turn into a scan of the whole table.
 */
export async function queryWithHashJoins(client: pg.PoolClient, sql: string, params: unknown[]): Promise<pg.QueryResult> {
  const { rows } = await client.query<{ previous: string }>(
    `SELECT current_setting('enable_nestloop') AS previous, set_config('enable_nestloop', 'off', true)`);
  const result = await client.query(sql, params);
  // On an error the transaction rolls back, and the setting with it; otherwise the caller's own value comes back.
  await client.query(`SELECT set_config('enable_nestloop', $1, true)`, [rows[0]!.previous]);
  return result;
}
