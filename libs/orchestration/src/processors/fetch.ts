import type { Readable } from 'node:stream';
import type { Job } from 'bullmq';
import {
  abandonRunningExecutions, finishExecution, fromWire, recordPartitionStarted, recordSourcePublication, resolveCapture, SourceNotFoundError, startExecution,
  type Partition, type PartitionSource,
} from '@spine/platform';
import { parseWeekJob, type StageResult } from '../job-data.ts';
import { DataError } from '../job-errors.ts';
import { fetchStageOf } from '../flow-tree.ts';
import { sourceJobError } from '../source-errors.ts';
import type { WorkerDeps } from '../worker-deps.ts';
import { guardJob } from './guard.ts';

/**
 * Fetches the week's file from its source into S3 (content-addressed, registered in core_raw_files) and resolves
 * the capture it belongs to: identical content lands on the existing capture, new content is a new revision.
 */
export function processFetch(job: Job, deps: WorkerDeps, stop?: AbortSignal): Promise<StageResult> {
  return guardJob(deps.limits?.deadlineMs, `fetch job ${job.id}`, (signal) => runFetch(job, deps, signal), stop);
}

async function runFetch(job: Job, deps: WorkerDeps, signal: AbortSignal | undefined): Promise<StageResult> {
  const { data, dataset } = parseWeekJob(deps.datasets, job.data, job.id);
  // Refused before anything runs, like invalid job data: a job added or edited in Bull Board, or made from a schedule
  // row, names its source without passing the checks a backfill request does. The catalog opens only what this
  // process's allow-lists hold.
  const access = deps.sources.open(data.source);
  const started = performance.now();
  await abandonRunningExecutions(deps.pool, job.id!);
  const partition = fromWire(dataset.name, data);
  const ctx = await startExecution(deps.pool, {
    parent: { executionId: data.week_execution_id, correlationId: data.correlation_id }, batchId: data.batch_id,
    pipeline: dataset.pipeline, stage: fetchStageOf(dataset), ...partition, jobId: job.id, attempt: job.attemptsMade + 1,
  });
  const source = dataset.openSource(access);
  try {
    const object = await source.open(partition, signal);
    const location = { prefix: dataset.codec.objectKeyPrefix(partition), extension: dataset.codec.rawExtension };
    const stored = await deps.rawStore.put(deps.pool, { ...partition, ...location }, object.body as Readable, {
      source: source.kind, sourceUri: object.sourceUri, executionId: ctx.executionId, batchId: data.batch_id,
    }, signal);
    const capture = await resolveCapture(deps.pool, {
      ...partition, idPrefix: dataset.codec.captureIdPrefix(partition), sha256: stored.sha256,
      sourceUri: `s3://${stored.bucket}/${stored.objectKey}`, executionId: ctx.executionId, batchId: data.batch_id,
    });
    // Read once the body has been: FINRA's dates of the version, which the file does not carry (point-in-time reads use them).
    if (object.publication) await recordSourcePublication(deps.pool, capture.captureId, object.publication());
    await recordPartitionStarted(deps.pool, { ...partition, captureId: capture.captureId }, data.batch_id);
    const ms = Math.round(performance.now() - started);
    const metrics = { bytes: stored.sizeBytes, sha256: stored.sha256, revision: stored.revision, new_content: stored.isNew, source_uri: object.sourceUri, duration_ms: ms };
    await finishExecution(deps.pool, ctx.executionId, { status: 'completed', captureId: capture.captureId, metrics });
    await job.log(`fetch: ${stored.sizeBytes} bytes from ${object.sourceUri} -> s3://${stored.bucket}/${stored.objectKey} ` +
      `(revision ${stored.revision}, ${stored.isNew ? 'new content' : 'unchanged'}) capture ${capture.captureId} in ${ms} ms`);
    deps.metrics?.stageSeconds.observe({ stage: 'fetch' }, ms / 1000);
    return { capture_id: capture.captureId, raw_object_key: stored.objectKey, gated: false, rows: 0 };
  } catch (error) {
    const failure = await unpublishedWeek(source, partition, error, signal, (line) => job.log(line)) ?? sourceJobError(error, deps.sources);
    await finishExecution(deps.pool, ctx.executionId, { status: 'failed', error: failure.message, metrics: { duration_ms: Math.round(performance.now() - started) } });
    await job.log(`fetch failed (attempt ${job.attemptsMade + 1}): ${failure.message}`);
    throw failure;
  }
}

/**
 * A week the source has no data for, on a source that lists what it published: when the list does not hold the
 * week, FINRA has not published it yet, and retrying for minutes would not change that. The job fails at once
 * (the scheduler asks again on its next tick; a backfill says so). A week listed as published but answered empty
 * is left to the retries: FINRA may be publishing it right now.
 */
async function unpublishedWeek(
  source: PartitionSource, partition: Partition, error: unknown, signal: AbortSignal | undefined, note: (line: string) => Promise<unknown>,
): Promise<Error | undefined> {
  if (!(error instanceof SourceNotFoundError) || !source.published) return undefined;
  let published;
  try {
    published = await source.published(partition.periodEnd, signal);
  } catch (lookup) {
    // Unknown is not unpublished: the fetch is retried as any missing answer is.
    await note(`fetch: could not learn whether the week is published (${(lookup as Error).message}); retrying as a missing answer`);
    return undefined;
  }
  if (published.has(partition.key1, partition.periodEnd)) return undefined;
  return new DataError(`not published: ${error.message}; ${published.where} does not list it yet`, { cause: error });
}
