import pThrottle from 'p-throttle';

/**
 * FINRA throttles synchronous requests at 20 per second per IP address (Platform Usage Limits). Every source
 * object of a process that calls the same origin shares one limiter, since the worker builds a source per job.
 * The limit is per process: processes behind one address must share the budget (see the README).
 */
const turns = new Map<string, () => Promise<void>>();

/** Resolves when the next request to `origin` may start. */
export function waitTurn(origin: string, requestsPerSecond: number): Promise<void> {
  const key = `${origin} ${requestsPerSecond}`;
  let turn = turns.get(key);
  if (!turn) {
    // strict: no sliding one-second window ever holds more than the limit, not just each fixed window.
    turn = pThrottle({ limit: requestsPerSecond, interval: 1000, strict: true })(async () => undefined);
    turns.set(key, turn);
  }
  return turn();
}
