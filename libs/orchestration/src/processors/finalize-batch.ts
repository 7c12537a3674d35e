import type { Job } from 'bullmq';
import { finishBatch, fromWire, toWire, wireColumns, wireLabel, finishExecution, recordPartitionReady, runStage, type WirePartition } from '@spine/platform';
import { parseBatchJob } from '../job-data.ts';
import { BATCH_JOBS, lastStageOf, windowStages } from '../flow-tree.ts';
import { graphOf, type WorkerDeps } from '../worker-deps.ts';
import { observeStageRun } from '../stage-metrics.ts';
import { guardJob } from './guard.ts';

/**
 * A backfill's window job for one tier, run once every week of that tier is aggregated: rolling windows and
 * research snapshots in week order, so every window reads weeks that are already complete. Tiers run in parallel.
 */
export function processTierWindows(job: Job, deps: WorkerDeps, stop?: AbortSignal): Promise<{ weeks: number; rows: number }> {
  // No deadline for the whole job, which may window a year of weeks: each week's windows get one instead.
  return guardJob(undefined, `${BATCH_JOBS.windows} job ${job.id}`, () => runTierWindows(job, deps, stop), stop);
}

async function runTierWindows(job: Job, deps: WorkerDeps, stop: AbortSignal | undefined): Promise<{ weeks: number; rows: number }> {
  const { data, dataset } = parseBatchJob(deps.datasets, job.data, job.id);
  const windows = new Set(windowStages(dataset).map((s) => s.name));
  const stages = (await dataset.buildStages(graphOf(deps, dataset), { maxRejectShare: data.max_reject_share })).filter((s) => windows.has(s.name));
  // A week that passed the last of its own stages (its chain's end in a batch) can be windowed.
  const lastOwnStage = lastStageOf(dataset, true);
  const partitions = data.weeks.map((week) => fromWire(dataset.name, week))
    .sort((a, b) => a.key1.localeCompare(b.key1) || a.key2.localeCompare(b.key2) || a.periodEnd.localeCompare(b.periodEnd));
  const { rows: captures } = await deps.pool.query<WirePartition & { capture_id: string }>(
    `SELECT DISTINCT ON (c.key_1, c.key_2, c.period_end) ${wireColumns('c')}, c.capture_id
       FROM core_captures c
       JOIN core_manifest m ON m.capture_id = c.capture_id AND m.stage = $5 AND m.status = 'completed'
      WHERE c.domain = $1 AND (c.key_1, c.key_2, c.period_end) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::date[]))
      ORDER BY c.key_1, c.key_2, c.period_end, c.revision DESC`,
    [dataset.name, partitions.map((p) => p.key1), partitions.map((p) => p.key2), partitions.map((p) => p.periodEnd), lastOwnStage],
  );
  const captureOf = new Map(captures.map((c) => [wireLabel(c), c.capture_id]));
  let rows = 0;
  let done = 0;
  for (const partition of partitions) {
    const label = wireLabel(toWire(partition));
    const captureId = captureOf.get(label);
    if (!captureId) {
      await job.log(`${label}: no aggregated capture (gated or failed), no window stages`);
      continue;
    }
    rows += await guardJob(deps.limits?.deadlineMs, `${label} windows of job ${job.id}`, async (signal) => {
      let weekRows = 0;
      for (const stage of stages) {
        const key = { ...partition, captureId };
        const run = await runStage(deps.pool, {
          key, stage, pipeline: dataset.pipeline,
          batchId: data.batch_id, parent: { executionId: data.batch_execution_id, correlationId: data.correlation_id },
          force: data.force, jobId: job.id, attempt: job.attemptsMade + 1, logger: deps.logger, timeouts: deps.limits?.stage, signal,
        });
        await observeStageRun(deps, key, run);
        weekRows += run.rowCount;
        await job.log(`${label} ${stage.name}: ${run.status}, ${run.rowCount} rows in ${run.durationMs} ms`);
      }
      // Its chain completed before (finishWeek left it in progress): with its windows, the week is ready, as run-week leaves it.
      await recordPartitionReady(deps.pool, { ...partition, captureId }, data.batch_id);
      return weekRows;
    }, stop);
    done += 1;
    await job.updateProgress(Math.round((done / partitions.length) * 100));
  }
  return { weeks: done, rows };
}

/** The backfill's last job, after every tier's windows: closes the batch with its outcome. */
export function processFinalizeBatch(job: Job, deps: WorkerDeps, stop?: AbortSignal): Promise<{ status: string }> {
  return guardJob(deps.limits?.deadlineMs, `finalize-batch job ${job.id}`, () => runFinalizeBatch(job, deps), stop);
}

async function runFinalizeBatch(job: Job, deps: WorkerDeps): Promise<{ status: string }> {
  const { data } = parseBatchJob(deps.datasets, job.data, job.id);
  const children = Object.values(await job.getChildrenValues()) as { weeks: number; rows: number }[];
  const { rows: [outcome] } = await deps.pool.query<{ weeks: number; gated: number; failed: number }>(
    `SELECT count(*)::int AS weeks, count(*) FILTER (WHERE status = 'gated')::int AS gated,
            count(*) FILTER (WHERE status NOT IN ('completed', 'gated'))::int AS failed
       FROM core_executions WHERE batch_id = $1 AND stage = 'week'`,
    [data.batch_id],
  );
  const { weeks, gated, failed } = outcome!;
  // Gated or failed weeks make the batch partial (partitionBatchClose: a gate is no failure); the reason says how many.
  const status = gated + failed === 0 ? 'completed' : 'partial';
  const reason = status === 'partial' ? `of ${weeks} weeks, ${gated} stopped at the quality gate and ${failed} failed` : undefined;
  const metrics = { weeks: children.reduce((n, c) => n + c.weeks, 0), window_rows: children.reduce((n, c) => n + c.rows, 0) };
  await finishExecution(deps.pool, data.batch_execution_id, { status: 'completed', metrics });
  await finishBatch(deps.pool, data.batch_id, status, reason);
  await job.log(`batch ${data.batch_id}: ${status}, ${metrics.weeks} weeks windowed, ${metrics.window_rows} window rows`);
  return { status };
}
