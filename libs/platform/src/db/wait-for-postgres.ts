import { transientFault } from '../transient-errors.ts';

/**
 * Resolves once PostgreSQL answers a query, trying for up to `timeoutMs`: for a process started beside its server
 * (compose, podman-compose, a pod) that would otherwise fail because the server is still starting. Only what waiting
 * can cure (a refused or lost connection, a server starting up) is waited out; anything else, such as a wrong
 * password or a missing database, is thrown at once.
 */
export async function waitForPostgres(db: { query(sql: string): Promise<unknown> }, timeoutMs: number, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await db.query('SELECT 1');
      return;
    } catch (error) {
      if (!transientFault(error)) throw error;
      if (Date.now() + intervalMs > deadline) {
        throw new Error(`PostgreSQL did not accept connections within ${timeoutMs / 1000} s: ${(error as Error).message}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
