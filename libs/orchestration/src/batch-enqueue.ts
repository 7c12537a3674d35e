import { FlowProducer, Queue, type FlowJob } from 'bullmq';
import { createBatch, startExecution, weekEndingsBetween, withAdvisoryLock, type BatchKind, type Pool } from '@spine/platform';
import { DOMAIN, PIPELINE, type Tier, type VenueType } from '@spine/otc';
import { QUEUES } from './queues.ts';
import { batchJobId, stageJobId, tierWindowsJobId, windowGroupKey, type WeekKey, type WeekStage } from './job-ids.ts';
import { topJobId, weekFlow, jobOptions, type RetryPolicy } from './week-flow.ts';
import type { BatchJobData, WeekJobData } from './job-data.ts';

export interface EnqueueDeps {
  pool: Pool;
  flows: FlowProducer;
  stageQueue: Queue;
  fetchQueue: Queue;
  retry: { fetch: RetryPolicy; stage: RetryPolicy };
}

/** A week asked for: ATS unless it names its venue type, as everything was before the venue type existed. */
export type RequestedWeek = Pick<WeekKey, 'tier' | 'week_ending'> & { venue_type?: VenueType };

export interface EnqueueRequest {
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

/** States of a job BullMQ will still run (a failed one waits for a retry, and counts as present too). */
export const ACTIVE_STATES = new Set(['waiting', 'active', 'delayed', 'waiting-children', 'prioritized']);
const CHAIN: WeekStage[] = ['fetch', 'ingest', 'normalize', 'aggregate', 'rolling', 'snapshot'];

/** Every week x tier x venue type of a range, week by week. */
export function expandWeeks(tiers: Tier[], from: string, to: string, venueTypes: readonly VenueType[]): WeekKey[] {
  return weekEndingsBetween(from, to).flatMap((week_ending) => tiers.flatMap((tier) => venueTypes.map((venue_type) => ({ tier, venue_type, week_ending }))));
}

/**
 * Where a week's chain stands in the queues: `in_flight` while any of its jobs is pending or failed (a failed job
 * waits for a retry from Bull Board); otherwise its finished jobs are cleared so the week can be enqueued afresh,
 * which re-fetches it and so detects a FINRA revision.
 */
async function claimWeek(deps: EnqueueDeps, week: WeekKey, retryFailed: boolean): Promise<'free' | 'in_flight' | 'retried'> {
  const ids = CHAIN.map((stage) => ({ stage, id: stageJobId(week, week.week_ending, stage) }));
  const queueOf = (stage: WeekStage) => (stage === 'fetch' ? deps.fetchQueue : deps.stageQueue);
  const states = await Promise.all(ids.map(({ stage, id }) => queueOf(stage).getJobState(id)));
  const failed = ids.filter((_, i) => states[i] === 'failed');
  if (failed.length && retryFailed) {
    for (const { stage, id } of failed) await (await queueOf(stage).getJob(id))?.retry('failed');
    return 'retried';
  }
  if (states.some((s) => ACTIVE_STATES.has(s) || s === 'failed')) return 'in_flight';
  // A finished chain may still hang under a backfill's window job that has not run yet: the week is not done.
  for (const [i, { stage, id }] of ids.entries()) {
    if (states[i] !== 'completed') continue;
    const parentKey = (await queueOf(stage).getJob(id))?.parentKey;
    const parentId = parentKey?.slice(parentKey.lastIndexOf(':') + 1);
    if (parentId && !ids.some((x) => x.id === parentId) && ACTIVE_STATES.has(await deps.stageQueue.getJobState(parentId))) return 'in_flight';
  }
  await Promise.all(
    ids.map(async ({ stage, id }, i) => {
      if (states[i] !== 'completed') return;
      await (stage === 'fetch' ? deps.fetchQueue : deps.stageQueue).remove(id);
    }),
  );
  return 'free';
}

/** The tier x venue type series of some weeks, each once, in first-seen order. */
export function windowGroups(weeks: WeekKey[]): Pick<WeekKey, 'tier' | 'venue_type'>[] {
  const groups = new Map<string, Pick<WeekKey, 'tier' | 'venue_type'>>();
  for (const { tier, venue_type } of weeks) if (!groups.has(windowGroupKey({ tier, venue_type }))) groups.set(windowGroupKey({ tier, venue_type }), { tier, venue_type });
  return [...groups.values()];
}

export const ENQUEUE_LOCK = 'spine:enqueue-batch';
/** A producer stuck behind another for this long gives up with an error instead of hanging its caller. */
const ENQUEUE_LOCK_TIMEOUT_MS = 60_000;
let enqueueTail: Promise<unknown> = Promise.resolve();

/**
 * Enqueues one batch: its record and executions in PostgreSQL, then its flows in BullMQ. A single week is one flow
 * ending in its rolling window and snapshot; several weeks hang under a batch job that runs the windows in week
 * order once they are all aggregated. Weeks already in flight are left alone (a no-op), and reported as such.
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
  const requested: WeekKey[] = req.weeks.map(({ tier, venue_type, week_ending }) => ({ tier, venue_type: venue_type ?? 'ATS', week_ending }));
  const claims = req.force ? [] : await Promise.all(requested.map(async (w) => ({ ...w, claim: await claimWeek(deps, w, !!req.retryFailed) })));
  const pick = (claim: string) => claims.filter((c) => c.claim === claim).map(({ tier, venue_type, week_ending }) => ({ tier, venue_type, week_ending }));
  const enqueued = req.force ? requested : pick('free');
  const inFlight = pick('in_flight');
  const retried = pick('retried');
  if (enqueued.length === 0) return { batch_id: null, enqueued, in_flight: inFlight, retried };
  const batchId = await createBatch(deps.pool, {
    kind: req.kind, domain: DOMAIN, weeksTotal: enqueued.length, requestedBy: req.requestedBy,
    // source, force and max_reject_share are what the reconciler needs to re-create the batch's jobs.
    params: { ...req.params, source: req.source, force: req.force, max_reject_share: req.maxRejectShare, weeks_in_flight: inFlight, weeks_retried: retried },
  });
  const batchExecution = await startExecution(deps.pool, { batchId, pipeline: PIPELINE, stage: 'batch' });
  const lastStage = enqueued.length === 1 ? 'snapshot' : 'aggregate';
  const weekFlows: { week: WeekKey; flow: FlowJob }[] = [];
  for (const week of enqueued) {
    const weekExecution = await startExecution(deps.pool, {
      parent: batchExecution, batchId, pipeline: PIPELINE, stage: 'week', weekEnding: week.week_ending, tier: week.tier, venueType: week.venue_type,
    });
    const data: WeekJobData = {
      batch_id: batchId, correlation_id: batchExecution.correlationId, week_execution_id: weekExecution.executionId,
      tier: week.tier, venue_type: week.venue_type, week_ending: week.week_ending, source: req.source, force: req.force, max_reject_share: req.maxRejectShare, last_stage: lastStage,
    };
    weekFlows.push({ week, flow: weekFlow(data, deps.retry) });
    await deps.pool.query('UPDATE core_executions SET job_id = $2 WHERE execution_id = $1', [weekExecution.executionId, topJobId(data)]);
  }
  if (lastStage === 'snapshot') {
    await deps.flows.add(weekFlows[0]!.flow);
    await deps.pool.query(`UPDATE core_executions SET status = 'completed', finished_at = now() WHERE execution_id = $1`, [batchExecution.executionId]);
  } else {
    const batchData = (weeks: WeekKey[]): BatchJobData => ({
      batch_id: batchId, correlation_id: batchExecution.correlationId, batch_execution_id: batchExecution.executionId,
      weeks, max_reject_share: req.maxRejectShare, force: req.force,
    });
    // batch job <- one window job per tier x venue type <- its week chains: a series' windows start as soon as its
    // own weeks are aggregated, and series (locked separately) run side by side.
    const groups = windowGroups(enqueued);
    await deps.flows.add({
      name: 'finalize-batch', queueName: QUEUES.stage, data: batchData(enqueued), opts: jobOptions(batchJobId(batchId), deps.retry.stage),
      children: groups.map((group) => ({
        name: 'tier-windows', queueName: QUEUES.stage, data: batchData(enqueued.filter((w) => windowGroupKey(w) === windowGroupKey(group))),
        opts: jobOptions(tierWindowsJobId(batchId, group), deps.retry.stage),
        children: weekFlows.filter((w) => windowGroupKey(w.week) === windowGroupKey(group)).map((w) => w.flow),
      })),
    });
    await deps.pool.query('UPDATE core_executions SET job_id = $2 WHERE execution_id = $1', [batchExecution.executionId, batchJobId(batchId)]);
  }
  return { batch_id: batchId, enqueued, in_flight: inFlight, retried };
}
