import type pg from 'pg';

/**
 * Keeps count of a pool's checked-out clients, so a process that must stop can end their backends. pool.end()
 * waits for every checked-out client; one held by work blocked in PostgreSQL (a query waiting for a lock) would
 * keep the process from ever exiting. Ending the backend fails that query (SQLSTATE 57P01, an infrastructure error,
 * so its job is retried) and rolls its transaction back.
 */
export function trackCheckedOutClients(pool: pg.Pool): { endBackends(): Promise<number> } {
  const out = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => out.add(client));
  pool.on('release', (_error, client) => out.delete(client));
  pool.on('remove', (client) => out.delete(client as pg.PoolClient));
  return {
    async endBackends() {
      const pids = [...out].map((c) => (c as unknown as { processID: number | null }).processID).filter((pid): pid is number => typeof pid === 'number');
      if (pids.length === 0) return 0;
      const { rows } = await pool.query<{ ended: number }>('SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended FROM unnest($1::int[]) AS pid', [pids]);
      return rows[0]!.ended;
    },
  };
}
