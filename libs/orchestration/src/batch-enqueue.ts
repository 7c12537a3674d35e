import type { FlowJob, FlowProducer, Queue } from 'bullmq';
import { createBatch, fromWire, partitionKeys, startExecution, toWire, WEEK_PERIODS, wireColumns, wireLabel, wireOf, withAdvisoryLock, type BatchKind, type DatasetDefinition, type DatasetRegistry, type PeriodCalendar, type Pool, type StageSpec } from '@spine/platform';
import { batchJobId, stageJobId, windowGroupKey, type WeekKey } from './job-ids.ts';
import { batchFlow, lastStageOf, topJobId, weekFlow, type FlowRetry } from './flow-tree.ts';
import type { WeekJobData } from './job-data.ts';
import { locateJobState, parentOf, type RoleQueues } from './job-location.ts';

export interface EnqueueDeps extends RoleQueues {
  pool: Pool;
  /** The datasets a request may name. */
  datasets: DatasetRegistry;
  flows: FlowProducer;
  retry: FlowRetry;
}

/** A partition asked for: of the dataset's legacy default series when it names no venue type, as before the key existed. */
export type RequestedWeek = Omit<WeekKey, 'venue_type'> & { venue_type?: string };

export interface EnqueueRequest {
  /** The dataset's name; the registry's first when unnamed. */
  dataset?: string;
  kind: BatchKind;
  weeks: RequestedWeek[];
  source: string;
  force: boolean;
  maxRejectShare: number;
  requestedBy?: string;
  params?: Record<string, unknown>;
  /** Retry a week's failed job (for the scheduler: a week FINRA had not published yet) instead of leaving it. */
  retryFailed?: boolean;
  /**
   * Checked once this producer holds the enqueue lock, before anything is claimed: throws when the producer may no
   * longer enqueue (a scheduler replica that lost its leader lease since its tick began).
   */
  fence?: () => Promise<void>;
}

export interface EnqueueResult {
  /** Null when nothing was enqueued: no batch is recorded for a request that changed nothing. */
  batch_id: string | null;
  enqueued: WeekKey[];
  in_flight: WeekKey[];
  /** Weeks whose failed job was retried (retryFailed); they stay in their original batch. */
  retried: WeekKey[];
}

/** The queue a stage's jobs are on: its role's (fetch or stage). */
export function queueFor(deps: Pick<EnqueueDeps, 'fetchQueue' | 'stageQueue'>, role: StageSpec['queue']): Queue {
  return role === 'fetch' ? deps.fetchQueue : deps.stageQueue;
}

/** States of a job BullMQ will still run (a failed one waits for a retry, and counts as present too). */
export const ACTIVE_STATES = new Set(['waiting', 'active', 'delayed', 'waiting-children', 'prioritized']);

/** Every period x first key x second key of a range, period by period (the periods of a weekly dataset need not be given). */
export function expandWeeks(firstKeys: readonly string[], from: string, to: string, secondKeys: readonly string[], periods: PeriodCalendar = WEEK_PERIODS): WeekKey[] {
  return periods.between(from, to).flatMap((periodEnd) => firstKeys.flatMap((key1) => secondKeys.map((key2) => toWire({ periodEnd, key1, key2 }))));
}

/** One job of a week's chain, with the queue it is on and its state there. */
interface ChainJob {
  id: string;
  queue: Queue;
  state: string;
}

/**
 * The chain of a week: its own (deterministic ids), or the one a forced batch made (ids ending with the batch id),
 * each job where it is (an earlier release's chain is on the queues' earlier names).
 */
async function readChain(deps: EnqueueDeps, dataset: DatasetDefinition, week: WeekKey, forcedBy?: string): Promise<ChainJob[]> {
  return Promise.all(dataset.stages.map(async (stage) => {
    const id = stageJobId(dataset, week, week.week_ending, stage.name, forcedBy);
    return { id, ...(await locateJobState(deps, stage.queue, id)) };
  }));
}

/**
 * Whether a chain still holds its week: a job queued, running or waiting for a retry, or the chain finished but
 * hanging under a backfill's window job that has not run yet (the week is not done).
 */
async function holdsWeek(deps: EnqueueDeps, chain: ChainJob[]): Promise<boolean> {
  if (chain.some((job) => ACTIVE_STATES.has(job.state))) return true;
  for (const job of chain) {
    if (job.state !== 'completed') continue;
    const parentKey = (await job.queue.getJob(job.id))?.parentKey;
    const parent = parentKey ? parentOf(deps, parentKey) : undefined;
    if (parent && !chain.some((x) => x.id === parent.id) && ACTIVE_STATES.has(await parent.queue.getJobState(parent.id))) return true;
  }
  return false;
}

/**
 * Whether a forced run's chain holds the week. A chain stopped at a failed job does not: its parents wait for ever,
 * and forcing the week is how it is run again.
 */
async function forcedChainHolds(deps: EnqueueDeps, dataset: DatasetDefinition, week: WeekKey, forcedBatches: readonly string[]): Promise<boolean> {
  for (const batchId of forcedBatches) {
    const chain = await readChain(deps, dataset, week, batchId);
    if (!chain.some((job) => job.state === 'failed') && (await holdsWeek(deps, chain))) return true;
  }
  return false;
}

/**
 * Where a week stands in the queues, for a request that is not forced: `in_flight` while its chain is pending or
 * failed (a failed job waits for a retry from Bull Board), or while a forced run of it is pending; otherwise its
 * finished jobs are cleared so the week can be enqueued afresh, which re-fetches it and so detects a FINRA revision.
 */
async function claimWeek(deps: EnqueueDeps, dataset: DatasetDefinition, week: WeekKey, retryFailed: boolean, forcedBatches: readonly string[]): Promise<'free' | 'in_flight' | 'retried'> {
  const chain = await readChain(deps, dataset, week);
  const failed = chain.filter((job) => job.state === 'failed');
  if (failed.length && retryFailed) {
    for (const { queue, id } of failed) await (await queue.getJob(id))?.retry('failed');
    return 'retried';
  }
  if (failed.length || (await holdsWeek(deps, chain)) || (await forcedChainHolds(deps, dataset, week, forcedBatches))) return 'in_flight';
  await Promise.all(chain.filter((job) => job.state === 'completed').map(({ queue, id }) => queue.remove(id)));
  return 'free';
}

/**
 * Where a week stands for a forced request: `in_flight` while its own chain or an earlier forced run is queued or
 * running, so that repeating a forced request does not load the week twice at once; a finished or failed chain
 * does not hold it back, which is what forcing is for.
 */
async function claimForcedWeek(deps: EnqueueDeps, dataset: DatasetDefinition, week: WeekKey, forcedBatches: readonly string[]): Promise<'free' | 'in_flight'> {
  const chain = await readChain(deps, dataset, week);
  const ownHolds = !chain.some((job) => job.state === 'failed') && (await holdsWeek(deps, chain));
  return ownHolds || (await forcedChainHolds(deps, dataset, week, forcedBatches)) ? 'in_flight' : 'free';
}

const weekKey = (week: WeekKey) => `${windowGroupKey(week)} ${week.week_ending}`;

/**
 * The forced batches whose chain of each week may still be queued: those whose week execution is still running.
 * Their chains have ids of their own (they carry the batch id), so only this record finds them.
 */
async function forcedRuns(pool: Pool, pipeline: string, weeks: WeekKey[]): Promise<Map<string, string[]>> {
  const runs = new Map<string, string[]>();
  if (weeks.length === 0) return runs;
  const { rows } = await pool.query<WeekKey & { batch_id: string }>(
    `SELECT ${wireColumns('e')}, e.batch_id
       FROM core_executions e JOIN core_batches b ON b.batch_id = e.batch_id
      WHERE e.pipeline = $1 AND e.stage = 'week' AND e.status = 'running' AND e.period_end = ANY($2::date[]) AND b.params->>'force' = 'true'`,
    [pipeline, [...new Set(weeks.map((w) => w.week_ending))]],
  );
  for (const row of rows) runs.set(weekKey(row), [...(runs.get(weekKey(row)) ?? []), row.batch_id]);
  return runs;
}

/** The lock every producer holds while it claims weeks and adds their flows (see enqueueBatch). */
export const ENQUEUE_LOCK = 'spine:enqueue-batch';
/** A producer stuck behind another for this long gives up with an error instead of hanging its caller. */
const ENQUEUE_LOCK_TIMEOUT_MS = 60_000;
let enqueueTail: Promise<unknown> = Promise.resolve();

/**
 * Enqueues one batch: its record and executions in PostgreSQL, then its flows in BullMQ. A single week is one flow
 * ending in its rolling window and snapshot; several weeks hang under a batch job that runs the windows in week
 * order once they are all aggregated. Weeks already in flight are left alone (a no-op), and reported as such, forced
 * or not.
 *
 * Producers (scheduler replicas, the dashboard, the CLI) enqueue one at a time: a week's claim and its flow's add
 * must not interleave with another producer's, or both would find the week free and the second batch would wait
 * for jobs that belong to the first. Calls in one process queue up here, so a process holds at most one pool
 * connection waiting on the PostgreSQL advisory lock that orders processes and hosts.
 */
export function enqueueBatch(deps: EnqueueDeps, req: EnqueueRequest): Promise<EnqueueResult> {
  return withEnqueueLock(deps.pool, () => enqueueExclusive(deps, req));
}

/** Runs fn as the one producer of this process and of the cluster (the reconciler also creates jobs). */
export function withEnqueueLock<T>(pool: Pool, fn: () => Promise<T>): Promise<T> {
  const run = enqueueTail.then(() => withAdvisoryLock(pool, ENQUEUE_LOCK, fn, { timeoutMs: ENQUEUE_LOCK_TIMEOUT_MS }));
  enqueueTail = run.catch(() => undefined);
  return run;
}

async function enqueueExclusive(deps: EnqueueDeps, req: EnqueueRequest): Promise<EnqueueResult> {
  await req.fence?.();
  const dataset = deps.datasets.of(req.dataset);
  const secondKey = partitionKeys(dataset)[1];
  const legacyDefault = secondKey.legacyDefault;
  const requested: WeekKey[] = req.weeks.map((week) => {
    const venueType = week.venue_type ?? legacyDefault;
    if (venueType === undefined) throw new Error(`${dataset.name} ${wireLabel(week)}: no ${secondKey.field} given`);
    return wireOf({ ...week, venue_type: venueType });
  });
  const forced = await forcedRuns(deps.pool, dataset.pipeline, requested);
  const claims = await Promise.all(requested.map(async (w) => {
    const forcedBatches = forced.get(weekKey(w)) ?? [];
    return { ...w, claim: req.force ? await claimForcedWeek(deps, dataset, w, forcedBatches) : await claimWeek(deps, dataset, w, !!req.retryFailed, forcedBatches) };
  }));
  const pick = (claim: string) => claims.filter((c) => c.claim === claim).map(wireOf);
  const enqueued = pick('free');
  const inFlight = pick('in_flight');
  const retried = pick('retried');
  if (enqueued.length === 0) return { batch_id: null, enqueued, in_flight: inFlight, retried };
  const batchId = await createBatch(deps.pool, {
    kind: req.kind, domain: dataset.name, weeksTotal: enqueued.length, requestedBy: req.requestedBy,
    // source, force and max_reject_share are what the reconciler needs to re-create the batch's jobs.
    params: { ...req.params, source: req.source, force: req.force, max_reject_share: req.maxRejectShare, weeks_in_flight: inFlight, weeks_retried: retried },
  });
  const batchExecution = await startExecution(deps.pool, { batchId, pipeline: dataset.pipeline, stage: 'batch' });
  const alone = enqueued.length === 1;
  const lastStage = lastStageOf(dataset, !alone);
  const weekFlows: { week: WeekKey; flow: FlowJob }[] = [];
  for (const week of enqueued) {
    const weekExecution = await startExecution(deps.pool, {
      parent: batchExecution, batchId, pipeline: dataset.pipeline, stage: 'week', ...fromWire(dataset.name, week),
    });
    const data: WeekJobData = {
      dataset: dataset.name, batch_id: batchId, correlation_id: batchExecution.correlationId, week_execution_id: weekExecution.executionId,
      ...wireOf(week), source: req.source, force: req.force, max_reject_share: req.maxRejectShare, last_stage: lastStage, closes_batch: alone,
    };
    weekFlows.push({ week, flow: weekFlow(dataset, data, deps.retry) });
    await deps.pool.query('UPDATE core_executions SET job_id = $2 WHERE execution_id = $1', [weekExecution.executionId, topJobId(dataset, data)]);
  }
  if (alone) {
    await deps.flows.add(weekFlows[0]!.flow);
    await deps.pool.query(`UPDATE core_executions SET status = 'completed', finished_at = now() WHERE execution_id = $1`, [batchExecution.executionId]);
  } else {
    const batch = { dataset: dataset.name, batch_id: batchId, correlation_id: batchExecution.correlationId, batch_execution_id: batchExecution.executionId, max_reject_share: req.maxRejectShare, force: req.force };
    const children = new Map<string, FlowJob[]>();
    for (const { week, flow } of weekFlows) children.set(windowGroupKey(week), [...(children.get(windowGroupKey(week)) ?? []), flow]);
    await deps.flows.add(batchFlow(dataset, batch, enqueued, children, deps.retry));
    await deps.pool.query('UPDATE core_executions SET job_id = $2 WHERE execution_id = $1', [batchExecution.executionId, batchJobId(batchId)]);
  }
  return { batch_id: batchId, enqueued, in_flight: inFlight, retried };
}
