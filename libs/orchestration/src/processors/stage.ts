import type { Job } from 'bullmq';
import { abandonRunningExecutions, finishBatch, finishExecution, runStage, type DatasetDefinition, type RawSource, type StageDefinition } from '@spine/platform';
import { parseWeekJob, stageResultSchema, type StageResult, type WeekJobData } from '../job-data.ts';
import { endsChain, windowStages } from '../flow-tree.ts';
import { graphOf, type WorkerDeps } from '../worker-deps.ts';
import { observeStageRun } from '../stage-metrics.ts';
import { guardJob } from './guard.ts';

/** The result its child job (the stage before) returned: which capture to work on, and whether a gate stopped it. */
async function childResult(job: Job): Promise<StageResult> {
  const values = Object.values(await job.getChildrenValues());
  if (values.length !== 1) throw new Error(`job ${job.id} expected the result of exactly one child stage, found ${values.length}`);
  const parsed = stageResultSchema.safeParse(values[0]);
  if (!parsed.success) throw new Error(`job ${job.id}: its child returned an unexpected result: ${JSON.stringify(values[0])}`);
  return parsed.data;
}

async function rawSource(deps: WorkerDeps, objectKey: string, signal: AbortSignal | undefined): Promise<RawSource> {
  const firstLine = (await deps.rawStore.head(objectKey, undefined, signal)).split('\n')[0] ?? '';
  return { uri: `s3://${deps.rawStore.bucket}/${objectKey}`, firstLine, open: () => deps.rawStore.open(objectKey, signal) };
}

function stageNamed(stages: StageDefinition[], name: string): StageDefinition {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage named ${name} in the calculation graph`);
  return stage;
}

/**
 * Closes the week's execution when the chain's last stage (or a gate) ends it; a single-week batch, which has no
 * batch job of its own, ends with it.
 */
async function finishWeek(deps: WorkerDeps, dataset: DatasetDefinition, data: WeekJobData, status: 'completed' | 'gated', captureId: string): Promise<void> {
  await finishExecution(deps.pool, data.week_execution_id, { status, captureId });
  if (endsChain(dataset, data.last_stage)) await finishBatch(deps.pool, data.batch_id, status === 'completed' ? 'completed' : 'partial');
}

/**
 * Runs one database stage of a week x tier for the capture its child resolved. A gated child stops the chain:
 * later stages pass the gate on without running. Completed stages of the capture are skipped unless forced.
 */
export function processStage(job: Job, deps: WorkerDeps, stop?: AbortSignal): Promise<StageResult> {
  return guardJob(deps.limits?.deadlineMs, `${job.name} job ${job.id}`, (signal) => runStageJob(job, deps, signal), stop);
}

async function runStageJob(job: Job, deps: WorkerDeps, signal: AbortSignal | undefined): Promise<StageResult> {
  const { data, dataset } = parseWeekJob(deps.datasets, job.data, job.id);
  const child = await childResult(job);
  if (child.gated) {
    await job.log(`${job.name}: skipped, ${data.tier} ${data.venue_type} ${data.week_ending} stopped at the quality gate`);
    if (job.name === data.last_stage) await finishWeek(deps, dataset, data, 'gated', child.capture_id);
    return { ...child, rows: 0 };
  }
  await abandonRunningExecutions(deps.pool, job.id!);
  // The stage right after fetch reads what fetch stored.
  const readsRaw = dataset.stages[dataset.stages.findIndex((s) => s.queue === 'fetch') + 1]?.name === job.name;
  const source = readsRaw && child.raw_object_key ? await rawSource(deps, child.raw_object_key, signal) : undefined;
  const stages = await dataset.buildStages(graphOf(deps, dataset), { maxRejectShare: data.max_reject_share, source });
  const key = { domain: dataset.name, weekEnding: data.week_ending, tier: data.tier, venueType: data.venue_type, captureId: child.capture_id };
  const run = await runStage(deps.pool, {
    key, stage: stageNamed(stages, job.name), pipeline: dataset.pipeline, batchId: data.batch_id,
    parent: { executionId: data.week_execution_id, correlationId: data.correlation_id },
    force: data.force, jobId: job.id, attempt: job.attemptsMade + 1, logger: deps.logger, timeouts: deps.limits?.stage, signal,
  });
  await observeStageRun(deps, key, run);
  await job.log(`${job.name}: ${run.status}, ${run.rowCount} rows in ${run.durationMs} ms (execution ${run.executionId}) ${JSON.stringify(run.metrics)}`);
  const gated = run.status === 'gated';
  if (!gated && job.name === data.last_stage && !endsChain(dataset, data.last_stage) && !job.parentKey) {
    // This backfill week was detached from its series' window job after a failure; a retry brought it this far,
    // so it runs its own window stages now.
    const windows = windowStages(dataset).map((s) => s.name);
    await job.log(`${job.name}: detached from its backfill window job, running ${windows.join(' and ')} for this week`);
    for (const name of windows) {
      const windowRun = await runStage(deps.pool, {
        key, stage: stageNamed(stages, name), pipeline: dataset.pipeline, batchId: data.batch_id,
        parent: { executionId: data.week_execution_id, correlationId: data.correlation_id },
        force: data.force, jobId: job.id, attempt: job.attemptsMade + 1, logger: deps.logger, timeouts: deps.limits?.stage, signal,
      });
      await observeStageRun(deps, key, windowRun);
      await job.log(`${name}: ${windowRun.status}, ${windowRun.rowCount} rows in ${windowRun.durationMs} ms`);
    }
    await finishWeek(deps, dataset, data, 'completed', child.capture_id);
    await closeBatchIfAllWeeksDone(deps, data.batch_id);
    return { capture_id: child.capture_id, gated, rows: run.rowCount };
  }
  if (gated || job.name === data.last_stage) await finishWeek(deps, dataset, data, gated ? 'gated' : 'completed', child.capture_id);
  return { capture_id: child.capture_id, gated, rows: run.rowCount };
}

/** A batch closed as partial becomes completed once a retried week completes its last missing piece. */
async function closeBatchIfAllWeeksDone(deps: WorkerDeps, batchId: string): Promise<void> {
  const { rows } = await deps.pool.query<{ open: number }>(
    `SELECT count(*) FILTER (WHERE status NOT IN ('completed', 'gated'))::int AS open FROM core_executions WHERE batch_id = $1 AND stage = 'week'`,
    [batchId],
  );
  if (rows[0]!.open === 0) await finishBatch(deps.pool, batchId, 'completed');
}
