import type { FlowJob } from 'bullmq';
import { failRunningExecution, finishBatch, partitionKeys, wireColumns, wireSeriesOf, type DatasetDefinition, type Pool } from '@spine/platform';
import { batchJobId, stageJobId, tierWindowsJobId, windowGroupKey } from './job-ids.ts';
import { batchFlow, chainStages, jobOptions, weekFlow, windowsFlow, type BatchContext } from './flow-tree.ts';
import { withEnqueueLock, type EnqueueDeps } from './batch-enqueue.ts';
import { locateJob } from './job-location.ts';
import type { QueueRole } from './queue-names.ts';
import { recordFinalFailure } from './final-failure.ts';
import {
  batchContext, describeAction, planBatch, weekJobData, type BatchSnapshot, type ChainSnapshot, type JobSnapshot, type OpenBatch, type PlannedAction,
  type ReconcileAction, type WeekRow,
} from './reconcile-plan.ts';

export type { ReconcileAction } from './reconcile-plan.ts';
export type ReconcileActionKind = PlannedAction['kind'];

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

/**
 * Makes Redis hold what PostgreSQL says open batches need (reconcile-plan.ts decides what that is): reads each open
 * batch, plans, and applies the plan unless it is a dry run. Jobs that exist are never added again, so running it
 * twice changes nothing the second time. It runs under the producers' enqueue lock, so it never races a producer
 * claiming the same weeks.
 */
export function reconcile(deps: EnqueueDeps, options: ReconcileOptions): Promise<ReconcileResult> {
  return withEnqueueLock(deps.pool, async () => {
    await options.fence?.();
    const batches = await openBatches(deps.pool);
    const actions: ReconcileAction[] = [];
    for (const batch of batches) {
      const dataset = deps.datasets.get(batch.domain);
      const context = batchContext(batch, options.defaultMaxRejectShare);
      const plan: PlannedAction[] = typeof context === 'string'
        ? [{ kind: 'close_batch', status: 'failed', reason: context }]
        : planBatch(await readBatch(deps, dataset, batch, context));
      for (const action of plan) {
        actions.push(describeAction(dataset, batch.batch_id, action));
        if (!options.dryRun) await apply(deps, dataset, batch.batch_id, typeof context === 'string' ? undefined : context, action);
      }
    }
    return { dry_run: !!options.dryRun, batches_checked: batches.length, actions };
  });
}

/*
 * Open batches, oldest first.
 * Result: one row per core_batches row in status 'running', with its batch execution and correlation ids (null when
 * the batch was never fully enqueued) and the params the enqueue recorded (source, force, max_reject_share).
 */
async function openBatches(pool: Pool): Promise<OpenBatch[]> {
  const { rows } = await pool.query<OpenBatch>(
    `SELECT b.batch_id, b.domain, b.weeks_total, b.params, e.execution_id AS batch_execution_id, e.correlation_id
       FROM core_batches b
       LEFT JOIN core_executions e ON e.batch_id = b.batch_id AND e.stage = 'batch'
      WHERE b.status = 'running'
      ORDER BY b.created_at`,
  );
  return rows;
}

/*
 * A batch's week executions and whether the batch is still open.
 * Parameters: $1 batch_id, $2 the venue type of executions recorded before it existed (the dataset's legacy default).
 * Result: its week executions by series and period; the batch's status.
 */
async function batchWeeks(pool: Pool, dataset: DatasetDefinition, batchId: string): Promise<{ weeks: WeekRow[]; open: boolean }> {
  const { rows } = await pool.query<WeekRow>(
    `SELECT execution_id, ${wireColumns()}, status
       FROM (SELECT execution_id, key_1, COALESCE(key_2, $2) AS key_2, period_end, status FROM core_executions WHERE batch_id = $1 AND stage = 'week') e
      ORDER BY key_1, key_2, period_end`,
    [batchId, partitionKeys(dataset)[1].legacyDefault ?? null],
  );
  const { rows: batch } = await pool.query<{ status: string }>('SELECT status FROM core_batches WHERE batch_id = $1', [batchId]);
  return { weeks: rows, open: batch[0]?.status === 'running' };
}

/** A job of the batch where it is: on this release's queues, or on their earlier names (an earlier release's batch). */
async function jobSnapshot(deps: EnqueueDeps, role: QueueRole, id: string): Promise<JobSnapshot> {
  const { job } = await locateJob(deps, role, id);
  if (!job) return { id, state: 'missing' };
  const data = job.data as Record<string, unknown> | undefined;
  return { id, state: await job.getState(), batch_id: typeof data?.batch_id === 'string' ? data.batch_id : undefined, data, failed_reason: job.failedReason };
}

/** Redis first, PostgreSQL second: the week list itself only grows at enqueue, under the lock this runs under. */
async function readBatch(deps: EnqueueDeps, dataset: DatasetDefinition, batch: OpenBatch, context: BatchSnapshot['context']): Promise<BatchSnapshot> {
  const { weeks: listed } = await batchWeeks(deps.pool, dataset, batch.batch_id);
  const multi = batch.weeks_total > 1;
  const chains = await Promise.all(listed.map(async (week): Promise<ChainSnapshot> => {
    const data = weekJobData(dataset, batch, context, week);
    const forcedBy = data.force ? data.batch_id : undefined;
    const jobs = await Promise.all(chainStages(dataset, data.last_stage).map(async (stage) =>
      ({ stage: stage.name, ...(await jobSnapshot(deps, stage.queue, stageJobId(dataset, week, week.week_ending, stage.name, forcedBy))) })));
    return { week, data, jobs };
  }));
  const finalize = multi ? await jobSnapshot(deps, 'stage', batchJobId(batch.batch_id)) : undefined;
  const groups = new Map(listed.map((w) => [windowGroupKey(w), wireSeriesOf(w)]));
  const windows = multi
    ? await Promise.all([...groups.values()].map(async (group) => ({ group, job: await jobSnapshot(deps, 'stage', tierWindowsJobId(batch.batch_id, dataset, group)) })))
    : [];
  const { weeks, open } = await batchWeeks(deps.pool, dataset, batch.batch_id);
  return { dataset, batch, context, chains, finalize, windows, weeks, open };
}

async function apply(deps: EnqueueDeps, dataset: DatasetDefinition, batchId: string, context: BatchContext | undefined, action: PlannedAction): Promise<void> {
  switch (action.kind) {
    case 'close_batch':
      await finishBatch(deps.pool, batchId, action.status, `reconciler: ${action.reason}`);
      return;
    case 'supersede_week':
      await failRunningExecution(deps.pool, action.week.execution_id, `superseded: its jobs belong to batch ${action.other_batch}`);
      return;
    case 'record_final_failure':
      await recordFinalFailure(deps.pool, deps, dataset, action.stage, action.data, action.failed_reason);
      return;
    case 'recreate_week': {
      const flow = await freshWeekFlow(deps, dataset, action.chain);
      await deps.flows.add(action.parent ? { ...flow, opts: { ...flow.opts, parent: { id: action.parent, queue: await parentQueue(deps, action.parent) } } } : flow);
      return;
    }
    case 'recreate_finalize': {
      const children = new Map<string, FlowJob[]>();
      for (const [group, chains] of action.rebuilt) children.set(group, await Promise.all(chains.map((c) => freshWeekFlow(deps, dataset, c))));
      await deps.flows.add(batchFlow(dataset, context!, action.weeks, children, deps.retry));
      return;
    }
    case 'recreate_tier_windows': {
      const flow = windowsFlow(dataset, context!, action.group, action.weeks, await Promise.all(action.chains.map((c) => freshWeekFlow(deps, dataset, c))), deps.retry);
      const id = tierWindowsJobId(batchId, dataset, action.group);
      await deps.flows.add({ ...flow, opts: { ...jobOptions(id, deps.retry.stage), parent: { id: batchJobId(batchId), queue: await parentQueue(deps, batchJobId(batchId)) } } });
    }
  }
}

/** The qualified name of the stage queue holding a parent job: an earlier release's batch keeps its parents there. */
async function parentQueue(deps: EnqueueDeps, id: string): Promise<string> {
  return (await locateJob(deps, 'stage', id)).queue.qualifiedName;
}

/**
 * A lost week's chain again. Its completed jobs are removed first: left in place, a new parent would wait on them for
 * ever. Without a parent, a backfill week runs its own windows when its aggregate completes (the detached path of the
 * stage processor), which is what a week lost after its window job started needs.
 */
async function freshWeekFlow(deps: EnqueueDeps, dataset: DatasetDefinition, chain: ChainSnapshot): Promise<FlowJob> {
  for (const j of chain.jobs) {
    if (j.state === 'completed') await (await locateJob(deps, dataset.stages.find((s) => s.name === j.stage)?.queue ?? 'stage', j.id)).queue.remove(j.id);
  }
  return weekFlow(dataset, chain.data, deps.retry);
}
