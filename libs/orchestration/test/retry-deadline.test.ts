import { describe, expect, it } from 'vitest';
import { CAPPED_BACKOFF, cappedBackoffStrategy, retrySpanMs } from '../src/retry-backoff.ts';
import { withJobDeadline } from '../src/job-deadline.ts';
import { JobDeadlineError, WorkerStoppingError } from '../src/job-errors.ts';
import { WORKER_STOPPING } from '../src/job-hand-back.ts';

describe('capped exponential backoff', () => {
  it('doubles from the job delay up to the cap', () => {
    const strategy = cappedBackoffStrategy(30_000);
    const job = { opts: { backoff: { type: CAPPED_BACKOFF, delay: 2000 } } };
    expect([1, 2, 3, 4, 5, 6, 11].map((n) => strategy(n, CAPPED_BACKOFF, undefined, job))).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(() => strategy(1, 'linear', undefined, job)).toThrow(/unknown backoff type "linear"/);
  });

  it('with the defaults, stage retries span minutes, enough for a database restart', () => {
    expect(retrySpanMs(12, 2000, 30_000)).toBe(2000 + 4000 + 8000 + 16_000 + 7 * 30_000);
    expect(retrySpanMs(1, 2000, 30_000)).toBe(0);
  });
});

describe('withJobDeadline', () => {
  it('returns what the work returns in time', async () => {
    await expect(withJobDeadline(1000, 'quick', async () => 'done')).resolves.toBe('done');
  });

  it('aborts the work and rejects with a JobDeadlineError when it hangs', async () => {
    let aborted: unknown;
    const hung = withJobDeadline(50, 'ingest job x', (signal) => new Promise<never>(() => {
      signal.addEventListener('abort', () => (aborted = signal.reason));
    }));
    await expect(hung).rejects.toBeInstanceOf(JobDeadlineError);
    await expect(hung).rejects.toThrow('ingest job x did not finish within its deadline of 50 ms');
    expect(aborted).toBeInstanceOf(JobDeadlineError);
  });
});

describe('withJobDeadline with a stop signal', () => {
  it('aborts the work and rejects with a WorkerStoppingError at once when its worker stops, even if the work ignores it', async () => {
    const stop = new AbortController();
    let aborted: unknown;
    const ignoring = withJobDeadline(undefined, 'fetch job y', (signal) => new Promise<never>(() => {
      signal.addEventListener('abort', () => (aborted = signal.reason));
    }), stop.signal);
    stop.abort(WORKER_STOPPING);
    await expect(ignoring).rejects.toBeInstanceOf(WorkerStoppingError);
    await expect(ignoring).rejects.toThrow('fetch job y was stopped: its worker is shutting down');
    expect(aborted).toBeInstanceOf(WorkerStoppingError);
  });

  it('does not start work when its worker is already stopping', async () => {
    const stop = new AbortController();
    stop.abort(WORKER_STOPPING);
    let started = false;
    await expect(withJobDeadline(1000, 'late job', async () => { started = true; }, stop.signal)).rejects.toBeInstanceOf(WorkerStoppingError);
    expect(started).toBe(false);
  });
});
