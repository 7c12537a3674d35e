import type { Job } from 'bullmq';
import { processFetch } from './fetch.ts';
import { processStage } from './stage.ts';
import { processFinalizeBatch } from './finalize-batch.ts';
import type { QueueRole } from '../queues.ts';
import type { WorkerDeps } from '../worker-deps.ts';

/** The processor of a queue: fetch jobs on the fetch queue; stage and batch jobs, by name, on the stage queue. */
export function processorFor(role: QueueRole, deps: WorkerDeps): (job: Job) => Promise<unknown> {
  if (role === 'fetch') return (job) => processFetch(job, deps);
  return (job) => (job.name === 'finalize-batch' ? processFinalizeBatch(job, deps) : processStage(job, deps));
}
