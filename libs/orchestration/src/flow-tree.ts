import type { FlowJob, JobsOptions } from 'bullmq';
import { QUEUES } from './queues.ts';
import { batchJobId, stageJobId, tierWindowsJobId, windowGroupKey, type WeekKey, type WeekStage } from './job-ids.ts';
import type { BatchJobData, WeekJobData } from './job-data.ts';
import { CAPPED_BACKOFF } from './retry-backoff.ts';

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

export interface FlowRetry {
  fetch: RetryPolicy;
  stage: RetryPolicy;
}

/** A week's chain, in order: fetch on its own queue, the stages on the stage queue. */
export const WEEK_CHAIN = ['fetch', 'ingest', 'normalize', 'aggregate', 'rolling', 'snapshot'] as const satisfies readonly WeekStage[];

/** The stages a week's own chain runs: all of them alone; up to aggregate in a batch, whose window jobs run the rest. */
export function chainStages(lastStage: WeekJobData['last_stage']): WeekStage[] {
  return WEEK_CHAIN.slice(0, WEEK_CHAIN.indexOf(lastStage) + 1);
}

/** The series of a backfill whose windows run together: one tier x venue type. */
export type WindowGroup = Pick<WeekKey, 'tier' | 'venue_type'>;

/** What every job of a batch's tree says about its batch. */
export type BatchContext = Omit<BatchJobData, 'weeks'>;

/** Finished jobs stay a day for Bull Board and lineage look-ups (PostgreSQL keeps the durable record). */
const RETENTION: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function jobOptions(jobId: string, retry: RetryPolicy): JobsOptions {
  return { jobId, attempts: retry.attempts, backoff: { type: CAPPED_BACKOFF, delay: retry.backoffMs }, ...RETENTION };
}

/**
 * One week x tier as a BullMQ flow: each stage is the parent of the stage before it, so BullMQ runs fetch first
 * and each later stage once its child completed. A failed child leaves its parents waiting, so retrying it (from
 * Bull Board) resumes the chain where it stopped.
 */
export function weekFlow(data: WeekJobData, retry: FlowRetry): FlowJob {
  const forcedBy = data.force ? data.batch_id : undefined;
  let node: FlowJob | undefined;
  for (const stage of chainStages(data.last_stage)) {
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

/** The distinct window groups of some weeks, in the order they first appear. */
export function windowGroups(weeks: readonly WindowGroup[]): WindowGroup[] {
  const groups = new Map<string, WindowGroup>();
  for (const { tier, venue_type } of weeks) if (!groups.has(windowGroupKey({ tier, venue_type }))) groups.set(windowGroupKey({ tier, venue_type }), { tier, venue_type });
  return [...groups.values()];
}

function batchData(batch: BatchContext, weeks: readonly WeekKey[]): BatchJobData {
  return { ...batch, weeks: weeks.map(({ tier, venue_type, week_ending }) => ({ tier, venue_type, week_ending })) };
}

/**
 * The window job of one series of a batch, over the batch's weeks of that series; `children` are the week flows it
 * waits for (none when BullMQ is to re-attach an existing job by its id, which keeps its own children).
 */
export function windowsFlow(batch: BatchContext, group: WindowGroup, weeks: readonly WeekKey[], children: FlowJob[], retry: FlowRetry): FlowJob {
  return {
    name: 'tier-windows', queueName: QUEUES.stage,
    data: batchData(batch, weeks.filter((w) => windowGroupKey(w) === windowGroupKey(group))),
    opts: jobOptions(tierWindowsJobId(batch.batch_id, group), retry.stage),
    ...(children.length ? { children } : {}),
  };
}

/**
 * A batch of several weeks: batch job <- one window job per tier x venue type <- its week chains. A series' windows
 * start as soon as its own weeks are aggregated, and series (locked separately) run side by side.
 */
export function batchFlow(batch: BatchContext, weeks: readonly WeekKey[], children: Map<string, FlowJob[]>, retry: FlowRetry): FlowJob {
  return {
    name: 'finalize-batch', queueName: QUEUES.stage, data: batchData(batch, weeks), opts: jobOptions(batchJobId(batch.batch_id), retry.stage),
    children: windowGroups(weeks).map((group) => windowsFlow(batch, group, weeks, children.get(windowGroupKey(group)) ?? [], retry)),
  };
}
