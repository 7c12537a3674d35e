import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

/** Server-side limits every connection starts with (milliseconds; 0 turns one off). */
export interface DbTimeouts {
  connectMs: number;
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
}

export interface PoolOptions {
  timeouts?: DbTimeouts;
  /**
   * Told of connection errors (a server restart, a dropped socket) on idle and checked-out clients alike. Such an
   * error also fails the query in flight, which is where it is handled; this is for the log.
   */
  onConnectionError?: (error: Error) => void;
}

/** The pool settings of the environment's DB_* variables. */
export function dbTimeoutsFromEnv(env: { DB_CONNECT_TIMEOUT_MS: number; DB_STATEMENT_TIMEOUT_MS: number; DB_LOCK_TIMEOUT_MS: number; DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number }): DbTimeouts {
  return { connectMs: env.DB_CONNECT_TIMEOUT_MS, statementMs: env.DB_STATEMENT_TIMEOUT_MS, lockMs: env.DB_LOCK_TIMEOUT_MS, idleInTransactionMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS };
}

export function createPool(databaseUrl: string, max = 10, options: PoolOptions = {}): pg.Pool {
  const t = options.timeouts;
  const pool = new pg.Pool({
    connectionString: databaseUrl, max, application_name: 'spine',
    // Without keepalive a connection to a host that vanished (no RST) looks alive until the kernel gives up, hours later.
    keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    ...(t ? {
      connectionTimeoutMillis: t.connectMs, statement_timeout: t.statementMs, lock_timeout: t.lockMs,
      idle_in_transaction_session_timeout: t.idleInTransactionMs,
    } : {}),
  });
  const report = options.onConnectionError ?? ((error: Error) => process.emitWarning(`PostgreSQL connection error: ${error.message}`));
  // An idle client's error (server restart) must not crash the process; the next checkout reconnects.
  pool.on('error', report);
  // A checked-out client has no pool listener: an error event on it (the server restarting mid-query) would be
  // an uncaught exception that kills the process. The query in flight fails with the same error.
  pool.on('connect', (client) => client.on('error', report));
  return pool;
}

export interface TransactionOptions {
  /**
   * Aborting ends the transaction's backend at once (pg_terminate_backend): its statement stops, the transaction
   * rolls back and its locks are released, even if the backend or the client stream feeding it is stuck.
   */
  signal?: AbortSignal;
}

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  options.signal?.throwIfAborted();
  const client = await pool.connect();
  let broken: Error | undefined;
  let stopWatching = () => {};
  try {
    if (options.signal) {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]!.pid;
      const signal = options.signal;
      const onAbort = () => {
        broken = signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
        pool.query('SELECT pg_terminate_backend($1)', [pid]).catch((error: Error) => report(pool, error));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stopWatching = () => signal.removeEventListener('abort', onAbort);
      signal.throwIfAborted();
    }
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      // A connection that cannot roll back is in an unknown state: it must not go back to the pool.
      broken ??= rollbackError;
    });
    throw error;
  } finally {
    stopWatching();
    client.release(broken);
  }
}

function report(pool: pg.Pool, error: Error): void {
  const wrapped = new Error(`could not end an aborted transaction's backend: ${error.message}`, { cause: error });
  if (pool.listenerCount('error') > 0) pool.emit('error', wrapped);
  else process.emitWarning(wrapped.message);
}
