import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from './backoff.ts';
import { FinraHttpError, FinraNetworkError, FinraRequestError, FinraRetriesExhaustedError, FinraTimeoutError } from './errors.ts';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Caps both the backoff and a server's Retry-After, so a hostile header cannot park a worker for hours. */
  maxDelayMs: number;
  /** Per attempt, covering the whole exchange: connect, headers and body. */
  timeoutMs: number;
  onRetry?: (event: RetryEvent) => void;
  /** Awaited before each attempt, outside its timeout: a rate limiter's queue is not the server being slow. */
  waitTurn?: () => Promise<void>;
}

export interface RetryEvent {
  url: string;
  /** The attempt that failed, 1-based. */
  attempt: number;
  maxAttempts: number;
  /** The wait before the next attempt. */
  delayMs: number;
  error: FinraRequestError;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or runs out of attempts. Each attempt gets a signal that fires
 * after `timeoutMs` or when the caller's `signal` aborts. 429 waits for Retry-After when given; 429 without it,
 * 5xx, network errors, timeouts and unparseable bodies back off exponentially with full jitter.
 * A caller's abort is rethrown as is and never retried.
 *
 * An own loop rather than p-retry: p-retry's delay is a pure function of the attempt number, and honouring
 * Retry-After needs the delay to come from the failed response.
 */
export async function withRetries<T>(
  url: string,
  policy: RetryPolicy,
  attempt: (signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    signal?.throwIfAborted();
    await policy.waitTurn?.();
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    let error: FinraRequestError;
    try {
      return await attempt(signal ? AbortSignal.any([signal, timeout]) : timeout);
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      error = asRequestError(cause, url, timeout.aborted, policy.timeoutMs);
    }
    if (!error.retryable) throw error;
    if (attemptNumber >= policy.maxAttempts) throw new FinraRetriesExhaustedError(attemptNumber, error);

    const retryAfterMs = error instanceof FinraHttpError ? error.retryAfterMs : undefined;
    const delayMs =
      retryAfterMs === undefined
        ? backoffDelayMs(attemptNumber, policy.baseDelayMs, policy.maxDelayMs)
        : Math.min(retryAfterMs, policy.maxDelayMs);
    policy.onRetry?.({ url, attempt: attemptNumber, maxAttempts: policy.maxAttempts, delayMs, error });
    // A caller's abort during the wait surfaces as its own reason, like an abort during an attempt.
    await sleep(delayMs, undefined, signal ? { signal } : undefined).catch(() => signal?.throwIfAborted());
  }
}

/** Sorts a failure into the retryable request errors; anything else is a bug and propagates unchanged. */
function asRequestError(cause: unknown, url: string, timedOut: boolean, timeoutMs: number): FinraRequestError {
  if (timedOut) return new FinraTimeoutError(url, timeoutMs);
  if (cause instanceof FinraRequestError) return cause;
  // fetch reports connection failures, and bodies cut off mid-transfer, as a TypeError.
  if (cause instanceof TypeError) return new FinraNetworkError(url, cause);
  throw cause;
}
