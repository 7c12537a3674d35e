import { wireOf, wireSeriesName, type BatchStatus, type DatasetDefinition } from '@spine/platform';
import { ACTIVE_STATES } from './batch-enqueue.ts';
import { batchJobId, tierWindowsJobId, windowGroupKey, type WeekKey } from './job-ids.ts';
import { BATCH_JOBS, lastStageOf, windowGroups, type BatchContext, type WindowGroup } from './flow-tree.ts';
import type { WeekJobData } from './job-data.ts';
import { partitionName, periodNoun } from './partition-names.ts';

/** An open batch as PostgreSQL records it. */
export interface OpenBatch {
  batch_id: string;
  /** The batch's dataset (core_batches.domain). */
  domain: string;
  weeks_total: number;
  params: { source?: unknown; force?: unknown; max_reject_share?: unknown };
  batch_execution_id: string | null;
  correlation_id: string | null;
}

/** A week execution of a batch. */
export interface WeekRow extends WeekKey {
  execution_id: string;
  status: string;
}

/** A job as Redis has it (state `missing` when it has no such job). */
export interface JobSnapshot {
  id: string;
  state: string;
  /** The batch the job's data names. */
  batch_id?: string;
  data?: Record<string, unknown>;
  failed_reason?: string;
}

export interface ChainSnapshot {
  week: WeekRow;
  data: WeekJobData;
  jobs: (JobSnapshot & { stage: string })[];
}

/**
 * What the reconciler read of one batch: Redis first (its chains, window and finalize jobs), then PostgreSQL again
 * (`weeks`, `open`), so a week that finished meanwhile is seen finished and never re-created.
 */
export interface BatchSnapshot {
  dataset: DatasetDefinition;
  batch: OpenBatch;
  context: BatchContext & { source: string };
  chains: ChainSnapshot[];
  /** Multi-week batches only. */
  finalize?: JobSnapshot;
  windows: { group: WindowGroup; job: JobSnapshot }[];
  weeks: WeekRow[];
  open: boolean;
}

export type PlannedAction =
  | { kind: 'close_batch'; status: BatchStatus; reason: string }
  | { kind: 'supersede_week'; week: WeekRow; job_id: string; other_batch: string }
  | { kind: 'record_final_failure'; job_id: string; stage: string; data: Record<string, unknown>; failed_reason: string }
  | { kind: 'recreate_week'; chain: ChainSnapshot; parent?: string }
  | { kind: 'recreate_finalize'; weeks: WeekRow[]; rebuilt: Map<string, ChainSnapshot[]> }
  | { kind: 'recreate_tier_windows'; group: WindowGroup; weeks: WeekRow[]; chains: ChainSnapshot[] };

/** One action of the reconciler, as `spine reconcile` and the scheduler's log show it. */
export interface ReconcileAction {
  batch_id: string;
  /** The batch's dataset: batch ids do not say it. */
  dataset: string;
  action: PlannedAction['kind'];
  job_id: string | null;
  detail: string;
}

/** Why a batch's jobs cannot be re-created at all, or the context its jobs carry. */
export function batchContext(batch: OpenBatch, defaultMaxRejectShare: number): (BatchContext & { source: string }) | string {
  const source = batch.params.source;
  if (!batch.batch_execution_id || !batch.correlation_id || typeof source !== 'string') {
    return 'the batch was not fully enqueued (no batch execution or source recorded), so its jobs cannot be re-created';
  }
  return {
    dataset: batch.domain, batch_id: batch.batch_id, correlation_id: batch.correlation_id, batch_execution_id: batch.batch_execution_id, source,
    force: batch.params.force === true,
    // Batches enqueued before the batch recorded its own share use the configured one.
    max_reject_share: typeof batch.params.max_reject_share === 'number' ? batch.params.max_reject_share : defaultMaxRejectShare,
  };
}

/** The job data of a batch's week, as enqueueBatch wrote it. */
export function weekJobData(dataset: DatasetDefinition, batch: OpenBatch, context: BatchContext & { source: string }, week: WeekRow): WeekJobData {
  return {
    dataset: dataset.name, batch_id: context.batch_id, correlation_id: context.correlation_id, week_execution_id: week.execution_id, ...wireOf(week),
    source: context.source, force: context.force, max_reject_share: context.max_reject_share,
    last_stage: lastStageOf(dataset, batch.weeks_total > 1), closes_batch: batch.weeks_total === 1,
  };
}

/**
 * What one open batch needs, decided from what was read (no I/O): PostgreSQL is the source of truth, so every
 * unfinished week, its series' window job and the batch's finalize job must exist in Redis. A failure nobody
 * recorded is recorded; a chain held by another batch is given up; what is missing is re-created with the same ids;
 * a batch that can no longer progress is closed with a reason. Actions run in order; later ones assume earlier ones
 * took effect (a week whose failure is recorded is failed when the batch's outcome is decided).
 */
export function planBatch(snapshot: BatchSnapshot): PlannedAction[] {
  const { batch, chains, weeks } = snapshot;
  const noun = periodNoun(snapshot.dataset);
  const plan: PlannedAction[] = [];
  if (!snapshot.open) return plan;
  if (weeks.length === 0) return [{ kind: 'close_batch', status: 'failed', reason: `the batch has no ${noun}s recorded` }];
  const statusOf = new Map(weeks.map((w) => [w.execution_id, w.status]));
  const outcome = (): BatchStatus => {
    const statuses = weeks.map((w) => statusOf.get(w.execution_id));
    if (statuses.every((s) => s === 'completed')) return 'completed';
    return statuses.some((s) => s === 'completed' || s === 'gated') ? 'partial' : 'failed';
  };

  const missing: ChainSnapshot[] = [];
  for (const chain of chains) {
    if (statusOf.get(chain.week.execution_id) !== 'running') continue;
    const foreign = chain.jobs.find((j) => j.state !== 'missing' && j.batch_id !== batch.batch_id && j.state !== 'completed');
    if (foreign) {
      plan.push({ kind: 'supersede_week', week: chain.week, job_id: foreign.id, other_batch: String(foreign.batch_id) });
      statusOf.set(chain.week.execution_id, 'failed');
      continue;
    }
    const failed = chain.jobs.find((j) => j.state === 'failed');
    if (failed) {
      plan.push({ kind: 'record_final_failure', job_id: failed.id, stage: failed.stage, data: failed.data ?? {}, failed_reason: failed.failed_reason ?? '' });
      statusOf.set(chain.week.execution_id, 'failed');
      continue;
    }
    if (chain.jobs.some((j) => ACTIVE_STATES.has(j.state))) continue;
    missing.push(chain);
  }

  if (batch.weeks_total <= 1) {
    const chain = chains[0];
    if (missing.length) plan.push({ kind: 'recreate_week', chain: missing[0]! });
    else if (chain && statusOf.get(chain.week.execution_id) !== 'running' && !chain.jobs.some((j) => ACTIVE_STATES.has(j.state))) {
      plan.push({ kind: 'close_batch', status: outcome(), reason: `its ${noun} ended ${statusOf.get(chain.week.execution_id)} and no job was left to close the batch` });
    }
    return plan;
  }

  const finalize = snapshot.finalize ?? { id: batchJobId(batch.batch_id), state: 'missing' };
  if (finalize.state === 'failed') {
    return [...plan, { kind: 'record_final_failure', job_id: finalize.id, stage: BATCH_JOBS.finalize, data: finalize.data ?? {}, failed_reason: finalize.failed_reason ?? '' }];
  }
  if (finalize.state === 'completed') return [...plan, { kind: 'close_batch', status: outcome(), reason: 'finalize-batch completed but the batch was left open' }];
  const failedWindow = snapshot.windows.find((w) => w.job.state === 'failed');
  if (failedWindow) {
    return [...plan, { kind: 'record_final_failure', job_id: failedWindow.job.id, stage: BATCH_JOBS.windows, data: failedWindow.job.data ?? {}, failed_reason: failedWindow.job.failed_reason ?? '' }];
  }
  if (finalize.state !== 'missing' && finalize.state !== 'waiting-children') {
    // finalize-batch is about to run or running: it closes the batch. Weeks lost meanwhile run detached.
    return [...plan, ...missing.map((chain): PlannedAction => ({ kind: 'recreate_week', chain }))];
  }

  const missingOf = (group: WindowGroup) => missing.filter((c) => windowGroupKey(c.week) === windowGroupKey(group));
  const windowState = new Map(snapshot.windows.map((w) => [windowGroupKey(w.group), w.job.state]));
  const stateOf = (group: WindowGroup) => windowState.get(windowGroupKey(group)) ?? 'missing';
  // Weeks lost under a window job that survived: its children again while it waits for them, else detached.
  const attach = (group: WindowGroup): PlannedAction[] => missingOf(group).map((chain) => ({
    kind: 'recreate_week', chain, parent: stateOf(group) === 'waiting-children' ? tierWindowsJobId(batch.batch_id, snapshot.dataset, group) : undefined,
  }));
  const groups = windowGroups(weeks);
  if (finalize.state === 'missing') {
    // A window job that survived is re-attached by BullMQ when its id is listed again (it keeps its own children).
    const rebuilt = new Map(groups.filter((g) => stateOf(g) === 'missing').map((g) => [windowGroupKey(g), missingOf(g)]));
    plan.push({ kind: 'recreate_finalize', weeks, rebuilt });
    for (const group of groups.filter((g) => stateOf(g) !== 'missing')) plan.push(...attach(group));
    return plan;
  }
  for (const group of groups) {
    if (stateOf(group) === 'missing') plan.push({ kind: 'recreate_tier_windows', group, weeks, chains: missingOf(group) });
    else plan.push(...attach(group));
  }
  return plan;
}

/**
 * An action as people read it, in the dataset's words: its partitions and series by the dataset's own keys (a one-key
 * dataset's implicit second key left out) and its periods by their noun.
 */
export function describeAction(dataset: DatasetDefinition, batchId: string, action: PlannedAction): ReconcileAction {
  const row = (jobId: string | null, detail: string): ReconcileAction => ({ batch_id: batchId, dataset: dataset.name, action: action.kind, job_id: jobId, detail });
  const periods = (chains: ChainSnapshot[]) => `${periodNoun(dataset)}s: ${chains.map((c) => partitionName(dataset, c.week)).join(', ') || 'none'}`;
  switch (action.kind) {
    case 'close_batch': return row(null, `${action.status}: ${action.reason}`);
    case 'supersede_week': return row(action.job_id, `${partitionName(dataset, action.week)} now runs in batch ${action.other_batch}`);
    case 'record_final_failure': return row(action.job_id, `${action.stage} failed for good: ${action.failed_reason}`);
    case 'recreate_week': return row(action.chain.jobs.at(-1)!.id, `${partitionName(dataset, action.chain.week)}${action.parent ? ` under ${action.parent}` : ''}`);
    case 'recreate_finalize': {
      const series = windowGroups(action.weeks).filter((g) => action.rebuilt.has(windowGroupKey(g))).map((g) => wireSeriesName(dataset, g));
      return row(batchJobId(batchId), `${BATCH_JOBS.finalize} with window jobs of ${series.join(', ') || 'no series'} re-created (${periods([...action.rebuilt.values()].flat())})`);
    }
    case 'recreate_tier_windows':
      return row(tierWindowsJobId(batchId, dataset, action.group), `${BATCH_JOBS.windows} ${wireSeriesName(dataset, action.group)} re-created under ${batchJobId(batchId)} (${periods(action.chains)})`);
  }
}
