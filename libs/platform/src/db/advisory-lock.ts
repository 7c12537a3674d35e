import type pg from 'pg';

/**
 * Runs fn while holding a session-level PostgreSQL advisory lock named by key, so concurrent runs of the same
 * partition (for example one week x tier) queue behind each other instead of interleaving, across processes and hosts.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    }
  } finally {
    client.release();
  }
}
