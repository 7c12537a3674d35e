import { JobDeadlineError, WorkerStoppingError } from './job-errors.ts';

/**
 * Runs work with a deadline and a stop signal: past `deadlineMs` (when given) or once `stop` aborts (its worker
 * shuts down), the work's signal aborts (its HTTP requests, S3 transfers and stage transactions listen to it and
 * stop, releasing their locks) and the returned promise rejects at once, with a JobDeadlineError or a
 * WorkerStoppingError, even if some part of the work ignores the signal. Without this, BullMQ keeps renewing the
 * lock of a job that hangs, and a worker told to stop waits for it.
 */
export async function withJobDeadline<T>(deadlineMs: number | undefined, what: string, work: (signal: AbortSignal) => Promise<T>, stop?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onStop = () => {};
  const cut = new Promise<never>((_, reject) => {
    const end = (error: Error) => {
      controller.abort(error);
      reject(error);
    };
    if (deadlineMs !== undefined) timer = setTimeout(() => end(new JobDeadlineError(deadlineMs, what)), deadlineMs);
    onStop = () => end(new WorkerStoppingError(what));
    if (stop?.aborted) onStop();
    else stop?.addEventListener('abort', onStop, { once: true });
  });
  // A job that starts while its worker is already stopping does not start its work.
  const running = controller.signal.aborted ? cut : work(controller.signal);
  try {
    return await Promise.race([running, cut]);
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
    // The work's own rejection after an abort is the consequence of the deadline or the stop, already reported by `cut`.
    running.catch(() => undefined);
  }
}
