import type { Job } from 'bullmq';
import { abandonRunningExecutions, fromWire, wireLabel, finishBatch, recordPartitionEnd, runStage, type DatasetDefinition, type PartitionOutcome, type RawSource, type StageDefinition } from '@spine/platform';
import { parseWeekJob, stageResultSchema, type StageResult, type WeekJobData } from '../job-data.ts';
import { chainClosesBatch, windowStages } from '../flow-tree.ts';
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
 * Records the end of the week's chain as `spine run-week` records it (recordPartitionEnd): its execution, its
 * readiness and, for a single-week batch (whose chain ends the batch: no batch job of its own), the batch's outcome.
 * A backfill week's chain ends before its window stages, which its series' window job runs later.
 */
async function finishWeek(deps: WorkerDeps, dataset: DatasetDefinition, data: WeekJobData, outcome: PartitionOutcome, captureId: string, windowsRan = false): Promise<void> {
  const alone = chainClosesBatch(dataset, data);
  await recordPartitionEnd(deps.pool, {
    key: { ...fromWire(dataset.name, data), captureId },
    batchId: data.batch_id, executionId: data.week_execution_id, outcome, closesBatch: alone,
    windowsPending: !alone && !windowsRan && windowStages(dataset).length > 0,
  });
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
    // The gated stage's own job recorded the week's end (and its batch's) before it returned.
    await job.log(`${job.name}: skipped, ${wireLabel(data)} stopped at the quality gate`);
    return { ...child, rows: 0 };
  }
  await abandonRunningExecutions(deps.pool, job.id!);
  // The stage right after fetch reads what fetch stored.
  const readsRaw = dataset.stages[dataset.stages.findIndex((s) => s.queue === 'fetch') + 1]?.name === job.name;
  const source = readsRaw && child.raw_object_key ? await rawSource(deps, child.raw_object_key, signal) : undefined;
  const stages = await dataset.buildStages(graphOf(deps, dataset), { maxRejectShare: data.max_reject_share, source });
  const key = { ...fromWire(dataset.name, data), captureId: child.capture_id };
  const run = await runStage(deps.pool, {
    key, stage: stageNamed(stages, job.name), pipeline: dataset.pipeline, batchId: data.batch_id,
    parent: { executionId: data.week_execution_id, correlationId: data.correlation_id },
    force: data.force, jobId: job.id, attempt: job.attemptsMade + 1, logger: deps.logger, timeouts: deps.limits?.stage, signal,
  });
  await observeStageRun(deps, key, run);
  await job.log(`${job.name}: ${run.status}, ${run.rowCount} rows in ${run.durationMs} ms (execution ${run.executionId}) ${JSON.stringify(run.metrics)}`);
  const gated = run.status === 'gated';
  if (!gated && job.name === data.last_stage && !chainClosesBatch(dataset, data) && !job.parentKey) {
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
    await finishWeek(deps, dataset, data, { status: 'completed' }, child.capture_id, true);
    await closeBatchIfAllWeeksDone(deps, data.batch_id);
    return { capture_id: child.capture_id, gated, rows: run.rowCount };
  }
  if (gated) await finishWeek(deps, dataset, data, { status: 'gated', stage: job.name }, child.capture_id);
  else if (job.name === data.last_stage) await finishWeek(deps, dataset, data, { status: 'completed' }, child.capture_id);
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
