import type { FlowJob, JobsOptions } from 'bullmq';
import { QUEUES } from './queues.ts';
import type { DatasetDefinition, StageSpec } from '@spine/platform';
import { wireOf, wireSeriesOf, type WireSeries } from '@spine/platform/dataset/wire-partition';
import { batchJobId, stageJobId, tierWindowsJobId, windowGroupKey, type WeekKey } from './job-ids.ts';
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

/** The stages a partition's own chain runs, in order, up to and including its last stage. */
export function chainStages(dataset: DatasetDefinition, lastStage: string): StageSpec[] {
  const last = dataset.stages.findIndex((s) => s.name === lastStage);
  if (last === -1) throw new Error(`${lastStage} is no stage of ${dataset.name}`);
  return dataset.stages.slice(0, last + 1);
}

/**
 * The last stage of a partition's own chain: the dataset's last when it runs alone; in a batch of several, the last
 * before the stages over neighbouring periods, which the batch's window jobs run once the series is complete.
 */
export function lastStageOf(dataset: DatasetDefinition, inBatch: boolean): string {
  const firstWindow = dataset.stages.findIndex((s) => s.spansNeighbours);
  const last = inBatch && firstWindow > 0 ? firstWindow - 1 : dataset.stages.length - 1;
  return dataset.stages[last]!.name;
}

/** Whether a chain ending at this stage is a partition run on its own (not a batch's, whose window job ends it). */
export function endsChain(dataset: DatasetDefinition, lastStage: string): boolean {
  return lastStage === lastStageOf(dataset, false);
}

/**
 * Whether a week's chain ends its batch: a batch of one partition has no batch job, so its chain records the batch's
 * outcome. A dataset without window stages ends a backfill's chains at its last stage too, so the job says which
 * (`closes_batch`); a job enqueued before it did says it by its last stage.
 */
export function chainClosesBatch(dataset: DatasetDefinition, data: { last_stage?: unknown; closes_batch?: unknown }): boolean {
  if (typeof data.closes_batch === 'boolean') return data.closes_batch;
  return typeof data.last_stage === 'string' && endsChain(dataset, data.last_stage);
}

/** The stage that fetches a partition from its source, on the fetch queue. */
export function fetchStageOf(dataset: DatasetDefinition): string {
  const fetch = dataset.stages.find((s) => s.queue === 'fetch');
  if (!fetch) throw new Error(`dataset ${dataset.name} has no stage on the fetch queue`);
  return fetch.name;
}

/** The stages over neighbouring periods: a batch's window jobs run them. */
export function windowStages(dataset: DatasetDefinition): StageSpec[] {
  return dataset.stages.filter((s) => s.spansNeighbours);
}

/** The series of a backfill whose windows run together: one value of each key. */
export type WindowGroup = WireSeries;

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
export function weekFlow(dataset: DatasetDefinition, data: WeekJobData, retry: FlowRetry): FlowJob {
  const forcedBy = data.force ? data.batch_id : undefined;
  let node: FlowJob | undefined;
  for (const stage of chainStages(dataset, data.last_stage)) {
    node = {
      name: stage.name,
      queueName: QUEUES[stage.queue],
      data,
      opts: jobOptions(stageJobId(dataset, data, data.week_ending, stage.name, forcedBy), retry[stage.queue]),
      ...(node ? { children: [node] } : {}),
    };
  }
  return node!;
}

export function topJobId(dataset: DatasetDefinition, data: WeekJobData): string {
  return stageJobId(dataset, data, data.week_ending, data.last_stage, data.force ? data.batch_id : undefined);
}

/** The names of a batch's own jobs on the stage queue: queued jobs carry them, so they are never renamed. */
export const BATCH_JOBS = { windows: 'tier-windows', finalize: 'finalize-batch' } as const;

/** The distinct window groups of some weeks, in the order they first appear. */
export function windowGroups(weeks: readonly WindowGroup[]): WindowGroup[] {
  const groups = new Map<string, WindowGroup>();
  for (const week of weeks) if (!groups.has(windowGroupKey(week))) groups.set(windowGroupKey(week), wireSeriesOf(week));
  return [...groups.values()];
}

function batchData(batch: BatchContext, weeks: readonly WeekKey[]): BatchJobData {
  return { ...batch, weeks: weeks.map(wireOf) };
}

/**
 * The window job of one series of a batch, over the batch's weeks of that series; `children` are the week flows it
 * waits for (none when BullMQ is to re-attach an existing job by its id, which keeps its own children).
 */
export function windowsFlow(dataset: DatasetDefinition, batch: BatchContext, group: WindowGroup, weeks: readonly WeekKey[], children: FlowJob[], retry: FlowRetry): FlowJob {
  return {
    name: BATCH_JOBS.windows, queueName: QUEUES.stage,
    data: batchData(batch, weeks.filter((w) => windowGroupKey(w) === windowGroupKey(group))),
    opts: jobOptions(tierWindowsJobId(batch.batch_id, dataset, group), retry.stage),
    ...(children.length ? { children } : {}),
  };
}

/**
 * A batch of several weeks: batch job <- one window job per tier x venue type <- its week chains. A series' windows
 * start as soon as its own weeks are aggregated, and series (locked separately) run side by side.
 */
export function batchFlow(dataset: DatasetDefinition, batch: BatchContext, weeks: readonly WeekKey[], children: Map<string, FlowJob[]>, retry: FlowRetry): FlowJob {
  return {
    name: BATCH_JOBS.finalize, queueName: QUEUES.stage, data: batchData(batch, weeks), opts: jobOptions(batchJobId(batch.batch_id), retry.stage),
    children: windowGroups(weeks).map((group) => windowsFlow(dataset, batch, group, weeks, children.get(windowGroupKey(group)) ?? [], retry)),
  };
}
