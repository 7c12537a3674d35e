import type { Job } from 'bullmq';
import { processFetch } from './fetch.ts';
import { processStage } from './stage.ts';
import { processFinalizeBatch, processTierWindows } from './finalize-batch.ts';
import type { QueueRole } from '../queues.ts';
import type { WorkerDeps } from '../worker-deps.ts';

/** The processor of a queue: fetch jobs on the fetch queue; stage, tier-window and batch jobs, by name, on the stage queue. */
export function processorFor(role: QueueRole, deps: WorkerDeps): (job: Job) => Promise<unknown> {
  if (role === 'fetch') return (job) => processFetch(job, deps);
  return (job) => {
    if (job.name === 'finalize-batch') return processFinalizeBatch(job, deps);
    if (job.name === 'tier-windows') return processTierWindows(job, deps);
    return processStage(job, deps);
  };
}
