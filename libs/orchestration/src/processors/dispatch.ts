import { processFetch } from './fetch.ts';
import { processStage } from './stage.ts';
import { processFinalizeBatch, processTierWindows } from './finalize-batch.ts';
import { BATCH_JOBS } from '../flow-tree.ts';
import type { ActiveJobs } from '../job-hand-back.ts';
import type { QueueRole } from '../queues.ts';
import type { WorkerDeps } from '../worker-deps.ts';

/**
 * The processor of a queue: fetch jobs on the fetch queue; stage, tier-window and batch jobs, by name, on the stage
 * queue. Each runs as one of `jobs`, so a worker that stops hands it back.
 */
export function processorFor(role: QueueRole, deps: WorkerDeps, jobs: ActiveJobs) {
  if (role === 'fetch') return jobs.processor((job, stop) => processFetch(job, deps, stop));
  return jobs.processor((job, stop) => {
    if (job.name === BATCH_JOBS.finalize) return processFinalizeBatch(job, deps, stop);
    if (job.name === BATCH_JOBS.windows) return processTierWindows(job, deps, stop);
    return processStage(job, deps, stop);
  });
}
