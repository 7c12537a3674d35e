import type { FlowJob, Job, Queue } from 'bullmq';
import { finishBatch, type BatchStatus, type Pool } from '@spine/platform';
import { TIERS, VENUE_TYPES, type Tier, type VenueType } from '@spine/otc';
import { QUEUES } from './queues.ts';
import { batchJobId, stageJobId, tierWindowsJobId, windowGroupKey, type WeekKey, type WeekStage } from './job-ids.ts';
import { jobOptions, weekFlow } from './week-flow.ts';
import { ACTIVE_STATES, windowGroups, withEnqueueLock, type EnqueueDeps } from './batch-enqueue.ts';
import { recordFinalFailure } from './final-failure.ts';
import type { BatchJobData, WeekJobData } from './job-data.ts';

export type ReconcileActionKind =
  | 'recreate_week' | 'recreate_tier_windows' | 'recreate_finalize' | 'record_final_failure' | 'supersede_week' | 'close_batch';

export interface ReconcileAction {
  batch_id: string;
  action: ReconcileActionKind;
  job_id: string | null;
  detail: string;
}

export interface ReconcileResult {
  dry_run: boolean;
  batches_checked: number;
  actions: ReconcileAction[];
}

export interface ReconcileOptions {
  dryRun?: boolean;
  /** Used for batches enqueued before the batch recorded its own share. */
  defaultMaxRejectShare: number;
  /** Checked under the enqueue lock before anything is changed (a scheduler replica's lease). */
  fence?: () => Promise<void>;
}

interface OpenBatch {
  batch_id: string;
  weeks_total: number;
  params: { source?: unknown; force?: unknown; max_reject_share?: unknown };
  batch_execution_id: string | null;
  correlation_id: string | null;
}

interface WeekRow {
  execution_id: string;
  tier: Tier;
  venue_type: VenueType;
  week_ending: string;
  status: string;
}

/** A backfill's window series: one tier-windows job per tier x venue type. */
type WindowGroup = Pick<WeekKey, 'tier' | 'venue_type'>;

interface ChainView {
  week: WeekRow;
  data: WeekJobData;
  jobs: { stage: WeekStage; id: string; job: Job | undefined; state: string }[];
}

const CHAIN: WeekStage[] = ['fetch', 'ingest', 'normalize', 'aggregate', 'rolling', 'snapshot'];

/**
 * PostgreSQL is the source of truth: every open batch's unfinished weeks, their tier window jobs and the batch's
 * finalize job must exist in Redis. What is missing (Redis lost its keys, a job was removed) is re-created with the
 * same deterministic ids; a job that failed for good but whose failure was never recorded is recorded; a batch that
 * can no longer progress (nothing left in Redis to close it) is closed with a reason. Jobs that exist are never
 * added again, so running it twice changes nothing the second time. It runs under the producers' enqueue lock, so
 * it never races a producer claiming the same weeks.
 */
export function reconcile(deps: EnqueueDeps, options: ReconcileOptions): Promise<ReconcileResult> {
  return withEnqueueLock(deps.pool, async () => {
    await options.fence?.();
    const batches = await openBatches(deps.pool);
    const actions: ReconcileAction[] = [];
    for (const batch of batches) actions.push(...(await reconcileBatch(deps, batch, options)));
    return { dry_run: !!options.dryRun, batches_checked: batches.length, actions };
  });
}

async function openBatches(pool: Pool): Promise<OpenBatch[]> {
  const { rows } = await pool.query<OpenBatch>(
    `SELECT b.batch_id, b.weeks_total, b.params, e.execution_id AS batch_execution_id, e.correlation_id
       FROM core_batches b
       LEFT JOIN core_executions e ON e.batch_id = b.batch_id AND e.stage = 'batch'
      WHERE b.status = 'running'
      ORDER BY b.created_at`,
  );
  return rows;
}

/** Read after the jobs: a week that finished meanwhile is seen finished, never re-created. */
async function batchWeeks(pool: Pool, batchId: string): Promise<{ weeks: WeekRow[]; open: boolean }> {
  const { rows } = await pool.query<WeekRow>(
    `SELECT execution_id, tier, COALESCE(venue_type, 'ATS') AS venue_type, to_char(week_ending, 'YYYY-MM-DD') AS week_ending, status
       FROM core_executions WHERE batch_id = $1 AND stage = 'week' ORDER BY tier, venue_type, week_ending`,
    [batchId],
  );
  const { rows: batch } = await pool.query<{ status: string }>('SELECT status FROM core_batches WHERE batch_id = $1', [batchId]);
  return { weeks: rows, open: batch[0]?.status === 'running' };
}

async function jobView(queue: Queue, id: string): Promise<{ job: Job | undefined; state: string }> {
  const job = await queue.getJob(id);
  return { job, state: job ? await job.getState() : 'missing' };
}

async function chainView(deps: EnqueueDeps, week: WeekRow, data: WeekJobData): Promise<ChainView> {
  const forcedBy = data.force ? data.batch_id : undefined;
  const stages = CHAIN.slice(0, data.last_stage === 'snapshot' ? CHAIN.length : 4);
  const jobs = await Promise.all(stages.map(async (stage) => {
    const id = stageJobId(week, week.week_ending, stage, forcedBy);
    return { stage, id, ...(await jobView(stage === 'fetch' ? deps.fetchQueue : deps.stageQueue, id)) };
  }));
  return { week, data, jobs };
}

async function reconcileBatch(deps: EnqueueDeps, batch: OpenBatch, options: ReconcileOptions): Promise<ReconcileAction[]> {
  const actions: ReconcileAction[] = [];
  const act = async (action: ReconcileActionKind, jobId: string | null, detail: string, run: () => Promise<unknown>) => {
    actions.push({ batch_id: batch.batch_id, action, job_id: jobId, detail });
    if (!options.dryRun) await run();
  };
  const close = (status: BatchStatus, reason: string) =>
    act('close_batch', null, `${status}: ${reason}`, () => finishBatch(deps.pool, batch.batch_id, status, `reconciler: ${reason}`));

  const source = batch.params.source;
  if (!batch.batch_execution_id || !batch.correlation_id || typeof source !== 'string') {
    await close('failed', 'the batch was not fully enqueued (no batch execution or source recorded), so its jobs cannot be re-created');
    return actions;
  }
  const multi = batch.weeks_total > 1;
  const force = batch.params.force === true;
  const maxRejectShare = typeof batch.params.max_reject_share === 'number' ? batch.params.max_reject_share : options.defaultMaxRejectShare;
  const weekData = (w: WeekRow): WeekJobData => ({
    batch_id: batch.batch_id, correlation_id: batch.correlation_id!, week_execution_id: w.execution_id, tier: w.tier, venue_type: w.venue_type, week_ending: w.week_ending,
    source, force, max_reject_share: maxRejectShare, last_stage: multi ? 'aggregate' : 'snapshot',
  });

  // Redis first, PostgreSQL second (see batchWeeks). The week list itself only grows at enqueue, under this lock.
  const { weeks: listed } = await batchWeeks(deps.pool, batch.batch_id);
  const finalize = multi ? await jobView(deps.stageQueue, batchJobId(batch.batch_id)) : undefined;
  const groups = windowGroups(listed).sort((a, b) => TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier) || VENUE_TYPES.indexOf(a.venue_type) - VENUE_TYPES.indexOf(b.venue_type));
  const windows = new Map<string, { group: WindowGroup; job: Job | undefined; state: string }>();
  if (multi) for (const group of groups) windows.set(windowGroupKey(group), { group, ...(await jobView(deps.stageQueue, tierWindowsJobId(batch.batch_id, group))) });
  const chains = await Promise.all(listed.map((w) => chainView(deps, w, weekData(w))));
  const { weeks, open } = await batchWeeks(deps.pool, batch.batch_id);
  if (!open) return actions;
  if (weeks.length === 0) {
    await close('failed', 'the batch has no weeks recorded');
    return actions;
  }
  const statusOf = new Map(weeks.map((w) => [w.execution_id, w.status]));
  const outcome = (): BatchStatus => {
    const statuses = weeks.map((w) => statusOf.get(w.execution_id));
    if (statuses.every((s) => s === 'completed')) return 'completed';
    return statuses.some((s) => s === 'completed' || s === 'gated') ? 'partial' : 'failed';
  };

  // Weeks: a failure nobody recorded is recorded; a chain held by another batch is given up; a chain with nothing
  // left in Redis is re-created.
  const missing: ChainView[] = [];
  for (const chain of chains) {
    if (statusOf.get(chain.week.execution_id) !== 'running') continue;
    const foreign = chain.jobs.find((j) => j.job && j.job.data?.batch_id !== batch.batch_id && j.state !== 'completed');
    if (foreign) {
      const other = String(foreign.job!.data?.batch_id);
      await act('supersede_week', foreign.id, `${chain.week.tier} ${chain.week.venue_type} ${chain.week.week_ending} now runs in batch ${other}`, async () => {
        await deps.pool.query(`UPDATE core_executions SET status = 'failed', error = $2, finished_at = now() WHERE execution_id = $1 AND status = 'running'`,
          [chain.week.execution_id, `superseded: its jobs belong to batch ${other}`]);
        statusOf.set(chain.week.execution_id, 'failed');
      });
      continue;
    }
    const failed = chain.jobs.find((j) => j.state === 'failed');
    if (failed) {
      await act('record_final_failure', failed.id, `${failed.stage} failed for good: ${failed.job!.failedReason}`, async () => {
        await recordFinalFailure(deps.pool, deps.stageQueue, failed.stage, failed.job!.data, failed.job!.failedReason);
        statusOf.set(chain.week.execution_id, 'failed');
      });
      continue;
    }
    if (chain.jobs.some((j) => ACTIVE_STATES.has(j.state))) continue;
    missing.push(chain);
  }

  if (!multi) {
    const chain = chains[0]!;
    if (missing.length) await recreateWeek(deps, missing[0]!, undefined, act);
    else if (statusOf.get(chain.week.execution_id) !== 'running' && !chain.jobs.some((j) => ACTIVE_STATES.has(j.state))) {
      await close(outcome(), `its week ended ${statusOf.get(chain.week.execution_id)} and no job was left to close the batch`);
    }
    return actions;
  }

  const finalizeId = batchJobId(batch.batch_id);
  if (finalize!.state === 'failed') {
    await act('record_final_failure', finalizeId, `finalize-batch failed for good: ${finalize!.job!.failedReason}`,
      () => recordFinalFailure(deps.pool, deps.stageQueue, 'finalize-batch', finalize!.job!.data, finalize!.job!.failedReason));
    return actions;
  }
  if (finalize!.state === 'completed') {
    await close(outcome(), 'finalize-batch completed but the batch was left open');
    return actions;
  }
  for (const view of windows.values()) {
    if (view.state !== 'failed') continue;
    await act('record_final_failure', tierWindowsJobId(batch.batch_id, view.group), `tier-windows failed for good: ${view.job!.failedReason}`,
      () => recordFinalFailure(deps.pool, deps.stageQueue, 'tier-windows', view.job!.data, view.job!.failedReason));
    return actions;
  }
  if (finalize!.state !== 'missing' && finalize!.state !== 'waiting-children') {
    // finalize-batch is about to run or running: it closes the batch. Weeks lost meanwhile run detached.
    for (const chain of missing) await recreateWeek(deps, chain, undefined, act);
    return actions;
  }

  const batchData = (of: WeekRow[]): BatchJobData => ({
    batch_id: batch.batch_id, correlation_id: batch.correlation_id!, batch_execution_id: batch.batch_execution_id!,
    weeks: of.map((w) => ({ tier: w.tier, venue_type: w.venue_type, week_ending: w.week_ending })), max_reject_share: maxRejectShare, force,
  });
  const windowNode = (group: WindowGroup, children: FlowJob[]): FlowJob => ({
    name: 'tier-windows', queueName: QUEUES.stage, data: batchData(weeks.filter((w) => windowGroupKey(w) === windowGroupKey(group))),
    opts: jobOptions(tierWindowsJobId(batch.batch_id, group), deps.retry.stage), ...(children.length ? { children } : {}),
  });
  const missingOf = (group: WindowGroup) => missing.filter((c) => windowGroupKey(c.week) === windowGroupKey(group));
  const flowsOf = async (chainsToAdd: ChainView[]) => {
    const flows: FlowJob[] = [];
    for (const chain of chainsToAdd) {
      await clearFinished(deps, chain);
      flows.push(weekFlow(chain.data, deps.retry));
    }
    return flows;
  };
  const describe = (chainsToAdd: ChainView[]) => chainsToAdd.map((c) => `${c.week.tier} ${c.week.venue_type} ${c.week.week_ending}`).join(', ') || 'no weeks';
  const named = (of: WindowGroup[]) => of.map((g) => `${g.tier} ${g.venue_type}`).join(', ');

  if (finalize!.state === 'missing') {
    // A window job that survived is re-attached by BullMQ when its id is listed again (it keeps its own children).
    const stateOf = (g: WindowGroup) => windows.get(windowGroupKey(g))!.state;
    const kept = groups.filter((g) => stateOf(g) !== 'missing');
    const rebuilt = groups.filter((g) => stateOf(g) === 'missing');
    await act('recreate_finalize', finalizeId,
      `finalize-batch with window jobs of ${named(rebuilt) || 'no tier'} re-created (weeks: ${describe(rebuilt.flatMap(missingOf))})`, async () => {
        const children: FlowJob[] = [];
        for (const group of groups) children.push(windowNode(group, rebuilt.includes(group) ? await flowsOf(missingOf(group)) : []));
        await deps.flows.add({ name: 'finalize-batch', queueName: QUEUES.stage, data: batchData(weeks), opts: jobOptions(finalizeId, deps.retry.stage), children });
      });
    for (const group of kept) await attachWeeks(deps, group, stateOf(group), missingOf(group), batch.batch_id, act);
    return actions;
  }

  for (const group of groups) {
    const view = windows.get(windowGroupKey(group))!;
    if (view.state === 'missing') {
      const id = tierWindowsJobId(batch.batch_id, group);
      await act('recreate_tier_windows', id, `tier-windows ${group.tier} ${group.venue_type} re-created under ${finalizeId} (weeks: ${describe(missingOf(group))})`, async () =>
        deps.flows.add({ ...windowNode(group, await flowsOf(missingOf(group))), opts: { ...jobOptions(id, deps.retry.stage), parent: { id: finalizeId, queue: deps.stageQueue.qualifiedName } } }));
    } else {
      await attachWeeks(deps, group, view.state, missingOf(group), batch.batch_id, act);
    }
  }
  return actions;
}

type Act = (action: ReconcileActionKind, jobId: string | null, detail: string, run: () => Promise<unknown>) => Promise<void>;

/** Weeks lost under a window job that survived: its children again while it waits for them, else detached. */
async function attachWeeks(deps: EnqueueDeps, group: WindowGroup, windowState: string, chains: ChainView[], batchId: string, act: Act): Promise<void> {
  const parent = windowState === 'waiting-children' ? { id: tierWindowsJobId(batchId, group), queue: deps.stageQueue.qualifiedName } : undefined;
  for (const chain of chains) await recreateWeek(deps, chain, parent, act);
}

/**
 * A week's chain again. Without a parent, a backfill week runs its own windows when its aggregate completes (the
 * detached path of the stage processor), which is what a week lost after its window job started needs.
 */
async function recreateWeek(deps: EnqueueDeps, chain: ChainView, parent: { id: string; queue: string } | undefined, act: Act): Promise<void> {
  const top = chain.jobs.at(-1)!;
  await act('recreate_week', top.id, `${chain.week.tier} ${chain.week.venue_type} ${chain.week.week_ending}${parent ? ` under ${parent.id}` : ''}`, async () => {
    await clearFinished(deps, chain);
    const flow = weekFlow(chain.data, deps.retry);
    await deps.flows.add(parent ? { ...flow, opts: { ...flow.opts, parent } } : flow);
  });
}

/** Completed jobs of a chain that is re-created: left in place, a new parent would wait on them for ever. */
async function clearFinished(deps: EnqueueDeps, chain: ChainView): Promise<void> {
  for (const j of chain.jobs) {
    if (j.state === 'completed') await (j.stage === 'fetch' ? deps.fetchQueue : deps.stageQueue).remove(j.id);
  }
}
