import type pg from 'pg';

export interface AdvisoryLockOptions {
  /** Give up waiting for the lock after this long (AdvisoryLockTimeoutError); without it, wait as long as it takes. */
  timeoutMs?: number;
}

export class AdvisoryLockTimeoutError extends Error {
  constructor(readonly key: string, readonly timeoutMs: number) {
    super(`advisory lock "${key}" still held by another session after ${timeoutMs} ms`);
    this.name = 'AdvisoryLockTimeoutError';
  }
}

/**
 * Runs fn while holding a session-level PostgreSQL advisory lock named by key, so concurrent runs of the same
 * partition (for example one week x tier) queue behind each other instead of interleaving, across processes and hosts.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: string, fn: () => Promise<T>, options: AdvisoryLockOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await acquire(client, key, options.timeoutMs);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch((error: Error) => {
        // A connection that cannot unlock may still hold the lock: it must not go back to the pool.
        broken = error;
      });
    }
  } finally {
    client.release(broken);
  }
}

async function acquire(client: pg.PoolClient, key: string, timeoutMs: number | undefined): Promise<void> {
  if (timeoutMs === undefined) {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    return;
  }
  await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(timeoutMs))}ms`]);
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') throw new AdvisoryLockTimeoutError(key, timeoutMs);
    throw error;
  } finally {
    await client.query('RESET lock_timeout');
  }
}
