import { JobDeadlineError } from './job-errors.ts';

/**
 * Runs work with a deadline: past `deadlineMs` the signal aborts (the work's S3 reads and stage transactions listen
 * to it and stop, releasing their locks) and the returned promise rejects with a JobDeadlineError at once, even
 * if some part of the work ignores the signal. Without this, BullMQ keeps renewing the lock of a job that hangs.
 */
export async function withJobDeadline<T>(deadlineMs: number, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new JobDeadlineError(deadlineMs, what);
      controller.abort(error);
      reject(error);
    }, deadlineMs);
  });
  const running = work(controller.signal);
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
    // The work's own rejection after an abort is the deadline's consequence, already reported by `expired`.
    running.catch(() => undefined);
  }
}
