/**
 * The backoff type of every job: exponential from the policy's delay, capped, so that many attempts span minutes
 * (a database restart) without the last waits growing to hours. Workers register the strategy.
 */
export const CAPPED_BACKOFF = 'capped-exponential';

export function cappedBackoffStrategy(maxDelayMs: number) {
  return (attemptsMade: number, type?: string, _error?: Error, job?: { opts: { backoff?: number | { delay?: number } } }): number => {
    const backoff = job?.opts.backoff;
    const base = typeof backoff === 'number' ? backoff : (backoff?.delay ?? 1000);
    if (type !== CAPPED_BACKOFF) throw new Error(`unknown backoff type "${type}" (jobs of this system use ${CAPPED_BACKOFF})`);
    return Math.min(maxDelayMs, Math.round(base * 2 ** Math.max(0, attemptsMade - 1)));
  };
}

/** How long a job with this policy keeps retrying in all (the sum of its waits). */
export function retrySpanMs(attempts: number, baseMs: number, maxDelayMs: number): number {
  let total = 0;
  for (let made = 1; made < attempts; made++) total += Math.min(maxDelayMs, baseMs * 2 ** (made - 1));
  return total;
}
