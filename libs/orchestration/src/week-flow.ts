import type { FlowJob, JobsOptions } from 'bullmq';
import { QUEUES } from './queues.ts';
import { stageJobId, type WeekStage } from './job-ids.ts';
import type { WeekJobData } from './job-data.ts';
import { CAPPED_BACKOFF } from './retry-backoff.ts';

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** Finished jobs stay a day for Bull Board and lineage look-ups (PostgreSQL keeps the durable record). */
const RETENTION: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

function jobOptions(jobId: string, retry: RetryPolicy): JobsOptions {
  return { jobId, attempts: retry.attempts, backoff: { type: CAPPED_BACKOFF, delay: retry.backoffMs }, ...RETENTION };
}

/**
 * One week x tier as a BullMQ flow: each stage is the parent of the stage before it, so BullMQ runs fetch first
 * and each later stage once its child completed. A failed child leaves its parents waiting, so retrying it (from
 * Bull Board) resumes the chain where it stopped.
 */
export function weekFlow(data: WeekJobData, retry: { fetch: RetryPolicy; stage: RetryPolicy }): FlowJob {
  const forcedBy = data.force ? data.batch_id : undefined;
  const chain: WeekStage[] = ['fetch', 'ingest', 'normalize', 'aggregate', ...(data.last_stage === 'snapshot' ? (['rolling', 'snapshot'] as const) : [])];
  let node: FlowJob | undefined;
  for (const stage of chain) {
    const onFetchQueue = stage === 'fetch';
    node = {
      name: stage,
      queueName: onFetchQueue ? QUEUES.fetch : QUEUES.stage,
      data,
      opts: jobOptions(stageJobId(data, data.week_ending, stage, forcedBy), onFetchQueue ? retry.fetch : retry.stage),
      ...(node ? { children: [node] } : {}),
    };
  }
  return node!;
}

export function topJobId(data: WeekJobData): string {
  return stageJobId(data, data.week_ending, data.last_stage, data.force ? data.batch_id : undefined);
}

export { jobOptions };
