import { describe, expect, it, vi } from 'vitest';
import { WaitingError, type Job } from 'bullmq';
import { pino } from 'pino';
import { ActiveJobs, WORKER_STOPPING } from '../src/job-hand-back.ts';
import { shutdownTimes, stopWorkers, type StoppableWorker } from '../src/worker-shutdown.ts';

const logger = pino({ level: 'silent' });

function fakeJob(id: string, moveToWait: () => Promise<number> = async () => 0) {
  const move = vi.fn(moveToWait);
  return { job: { id, moveToWait: move } as unknown as Job, moveToWait: move };
}

/** A job's work that runs until its stop signal aborts, then fails as aborted work does. */
const untilStopped = (_job: Job, stop: AbortSignal | undefined) => new Promise<never>((_, reject) => {
  stop!.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
});

describe('ActiveJobs', () => {
  it('gives BullMQ a processor that declares the signal parameter, which BullMQ needs to pass it', () => {
    expect(new ActiveJobs().processor(async () => 'done').length).toBe(3);
  });

  it('hands a job stopped by its worker back to the wait list with its lock token, and tells BullMQ it moved', async () => {
    const jobs = new ActiveJobs();
    const { job, moveToWait } = fakeJob('j1');
    const stop = new AbortController();
    const running = jobs.processor(untilStopped)(job, 'token-1', stop.signal);
    expect(jobs.ids()).toEqual(['j1']);
    stop.abort(WORKER_STOPPING);
    await expect(running).rejects.toBeInstanceOf(WaitingError);
    expect(moveToWait).toHaveBeenCalledWith('token-1');
    expect(jobs.ids()).toEqual([]);
  });

  it('lets a job fail as it failed when its signal aborted for another reason, or when it simply failed', async () => {
    const jobs = new ActiveJobs();
    const { job, moveToWait } = fakeJob('j2');
    const cancelled = new AbortController();
    const running = jobs.processor(untilStopped)(job, 'token-2', cancelled.signal);
    cancelled.abort('cancelled by hand');
    await expect(running).rejects.toThrow('aborted');
    await expect(jobs.processor(async () => { throw new Error('bad file'); })(job, 'token-2', new AbortController().signal)).rejects.toThrow('bad file');
    expect(moveToWait).not.toHaveBeenCalled();
    expect(jobs.ids()).toEqual([]);
  });

  it('keeps listing a job it could not hand back', async () => {
    const jobs = new ActiveJobs();
    const { job } = fakeJob('j3', () => Promise.reject(new Error('Connection is closed.')));
    const stop = new AbortController();
    const running = jobs.processor(untilStopped)(job, 'token-3', stop.signal);
    stop.abort(WORKER_STOPPING);
    await expect(running).rejects.toThrow('Connection is closed.');
    expect(jobs.ids()).toEqual(['j3']);
  });
});

describe('stopWorkers', () => {
  it('keeps the last quarter of the budget, at least 1 s and at most 5 s, for handing jobs back; the process ends 2 s later at the latest', () => {
    expect(shutdownTimes(25_000)).toEqual({ handBackAtMs: 20_000, stopByMs: 25_000, exitByMs: 27_000 });
    expect(shutdownTimes(8000)).toEqual({ handBackAtMs: 6000, stopByMs: 8000, exitByMs: 10_000 });
    expect(shutdownTimes(3000)).toEqual({ handBackAtMs: 2000, stopByMs: 3000, exitByMs: 5000 });
    // No drain: the jobs are handed back at once, and that gets its second.
    expect(shutdownTimes(0)).toEqual({ handBackAtMs: 0, stopByMs: 1000, exitByMs: 3000 });
  });

  /** A BullMQ worker whose close() waits for its one job, which runs `work` under the worker's stop signal. */
  function workerRunning(jobs: ActiveJobs, work: (job: Job, stop: AbortSignal | undefined) => Promise<unknown>, moveToWait?: () => Promise<number>) {
    const stop = new AbortController();
    const processing = jobs.processor(work)(fakeJob('j', moveToWait).job, 'token', stop.signal).catch(() => undefined);
    const worker: StoppableWorker = { close: vi.fn(() => processing.then(() => undefined)), cancelAllJobs: vi.fn((reason) => stop.abort(reason)) };
    return worker;
  }

  const TIMES = { handBackAtMs: 300, stopByMs: 400, exitByMs: 2400 };

  it('lets an active job finish within the budget without cancelling it', async () => {
    const jobs = new ActiveJobs();
    const worker = workerRunning(jobs, () => new Promise((resolve) => setTimeout(resolve, 20)));
    await expect(stopWorkers([worker], jobs, { times: TIMES, logger })).resolves.toEqual({ closed: true, abandoned: [] });
    expect(worker.cancelAllJobs).not.toHaveBeenCalled();
  });

  it('cancels the jobs still active at handBackAtMs and resolves once they are handed back', async () => {
    const jobs = new ActiveJobs();
    const worker = workerRunning(jobs, untilStopped);
    const started = Date.now();
    await expect(stopWorkers([worker], jobs, { times: TIMES, logger })).resolves.toEqual({ closed: true, abandoned: [] });
    expect(worker.cancelAllJobs).toHaveBeenCalledWith(WORKER_STOPPING);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMES.handBackAtMs - 5);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('gives up at the end of the budget and names the jobs it could not hand back', async () => {
    const jobs = new ActiveJobs();
    const worker = workerRunning(jobs, untilStopped, () => new Promise<never>(() => undefined));
    const started = Date.now();
    await expect(stopWorkers([worker], jobs, { times: TIMES, logger })).resolves.toEqual({ closed: false, abandoned: ['j'] });
    expect(Date.now() - started).toBeLessThan(600);
  });
});
