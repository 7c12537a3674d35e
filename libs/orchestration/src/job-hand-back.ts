import { WaitingError, type Job } from 'bullmq';

/** The reason a stopping worker gives Worker.cancelAllJobs: the jobs' signals abort with it. */
export const WORKER_STOPPING = 'the worker is shutting down';

/** The work of one job; `stop` aborts when its worker shuts down. */
export type JobWork = (job: Job, stop: AbortSignal | undefined) => Promise<unknown>;

/**
 * The jobs a worker process is running, and the processor BullMQ calls for them. A job whose signal aborts because
 * its worker stops is handed back: moved to the wait list with its lock token, so the next worker takes it at once
 * and it keeps every attempt (a failure would spend one and wait for the backoff). BullMQ treats the WaitingError
 * that follows as "moved elsewhere", not as a failure. A job that cannot be handed back (Redis does not answer)
 * stays listed: its lock lapses and another worker takes it over as stalled.
 */
export class ActiveJobs {
  readonly #running = new Set<string>();

  /** BullMQ passes the signal only to a processor that declares a third parameter. */
  processor(work: JobWork): (job: Job, token?: string, signal?: AbortSignal) => Promise<unknown> {
    return (job, token, signal) => this.#run(job, token, signal, work);
  }

  /** The ids of the jobs still running, or not handed back yet. */
  ids(): string[] {
    return [...this.#running];
  }

  async #run(job: Job, token: string | undefined, signal: AbortSignal | undefined, work: JobWork): Promise<unknown> {
    const id = job.id ?? '';
    this.#running.add(id);
    try {
      const result = await work(job, signal);
      this.#running.delete(id);
      return result;
    } catch (error) {
      if (!(signal?.aborted && signal.reason === WORKER_STOPPING && token !== undefined)) {
        this.#running.delete(id);
        throw error;
      }
      await job.moveToWait(token);
      this.#running.delete(id);
      throw new WaitingError();
    }
  }
}
