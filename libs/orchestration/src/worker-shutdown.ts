import type { Logger } from '@spine/platform';
import { WORKER_STOPPING, type ActiveJobs } from './job-hand-back.ts';

/**
 * A worker's exit code when its shutdown had to leave something behind: a job it could not hand back (its lock
 * lapses and another worker takes it over as stalled) or a connection that would not close in time. It is
 * sysexits' EX_TEMPFAIL: the work is retried elsewhere. A drain that finished or handed back every job exits 0.
 */
export const EXIT_SHUTDOWN_FORCED = 75;

/** Once the workers are stopped, closing the process's connections may take this long. */
export const SHUTDOWN_CLOSE_MS = 1000;

/** The process ends this long after its workers' stop time at the latest, whatever still holds it. */
const SHUTDOWN_HARD_EXIT_AFTER_MS = 2000;

/** When, counted from SIGTERM, each step of a shutdown ends. */
export interface ShutdownTimes {
  /** Active jobs drain until then; then they are aborted and handed back. */
  handBackAtMs: number;
  /** The workers have stopped by then, each job finished, handed back or abandoned. */
  stopByMs: number;
  /** The process has ended by then, whatever still holds it. */
  exitByMs: number;
}

/**
 * The steps of a shutdown with a budget of WORKER_SHUTDOWN_MS: handing the jobs back (aborting them, moving them to
 * the wait list: a few Redis round trips) takes the last quarter of the budget, at least 1 s and at most 5 s; a
 * budget under 1 s is stretched to 1 s so that even WORKER_SHUTDOWN_MS=0 (no drain) hands its jobs back.
 */
export function shutdownTimes(budgetMs: number): ShutdownTimes {
  const handBackMs = Math.min(5000, Math.max(1000, Math.floor(budgetMs / 4)));
  const stopByMs = Math.max(budgetMs, handBackMs);
  return { handBackAtMs: stopByMs - handBackMs, stopByMs, exitByMs: stopByMs + SHUTDOWN_HARD_EXIT_AFTER_MS };
}

/** What a stopping process needs of a BullMQ Worker. */
export interface StoppableWorker {
  close(): Promise<void>;
  cancelAllJobs(reason?: string): void;
}

/** Resolves true when `promise` settled within `ms`, false when the time ran out first. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), Math.max(0, ms)); });
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops a process's workers by `times.stopByMs`: they take no new job from the start; active jobs may finish until
 * `times.handBackAtMs`; then their signals abort (HTTP requests, S3 transfers and stage transactions stop) and each
 * job is handed back to its queue (ActiveJobs). `closed` tells whether the workers closed in time; `abandoned` lists
 * the jobs not handed back by then (Redis did not answer): another worker takes them over once their locks lapse.
 */
export async function stopWorkers(workers: readonly StoppableWorker[], jobs: ActiveJobs, options: { times: ShutdownTimes; logger: Logger }): Promise<{ closed: boolean; abandoned: string[] }> {
  const { times, logger } = options;
  const started = Date.now();
  const closing = Promise.all(workers.map((w) => w.close().catch((error: Error) => logger.error({ err: error.message }, 'a worker failed to close'))));
  if (await settlesWithin(closing, times.handBackAtMs)) return { closed: true, abandoned: [] };

  const active = jobs.ids();
  logger.warn({ jobs: active }, 'handing the active jobs back to the queue');
  for (const worker of workers) worker.cancelAllJobs(WORKER_STOPPING);
  const closed = await settlesWithin(closing, times.stopByMs - (Date.now() - started));
  const abandoned = jobs.ids();
  if (abandoned.length) logger.error({ abandoned }, 'could not hand these jobs back within WORKER_SHUTDOWN_MS; their locks lapse and other workers take them over');
  else if (active.length) logger.info({ jobs: active }, 'handed the active jobs back to the queue');
  if (!closed) logger.error('the workers did not close within WORKER_SHUTDOWN_MS');
  return { closed, abandoned };
}
