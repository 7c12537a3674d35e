import type { Job } from 'bullmq';
import { abandonRunningExecutions, finishExecution, resolveCapture, startExecution } from '@spine/platform';
import { DOMAIN, PIPELINE } from '@spine/otc';
import { parseJobData, weekJobSchema, type StageResult } from '../job-data.ts';
import type { WorkerDeps } from '../worker-deps.ts';

/**
 * Fetches the week's file from its source into S3 (content-addressed, registered in core_raw_files) and resolves
 * the capture it belongs to: identical content lands on the existing capture, new content is a new revision.
 */
export async function processFetch(job: Job, deps: WorkerDeps): Promise<StageResult> {
  const data = parseJobData(weekJobSchema, job.data, job.id);
  const started = performance.now();
  await abandonRunningExecutions(deps.pool, job.id!);
  const ctx = await startExecution(deps.pool, {
    parent: { executionId: data.week_execution_id, correlationId: data.correlation_id }, batchId: data.batch_id,
    pipeline: PIPELINE, stage: 'fetch', weekEnding: data.week_ending, tier: data.tier, jobId: job.id, attempt: job.attemptsMade + 1,
  });
  try {
    const source = deps.openSource(data.source);
    const object = await source.openWeek({ tier: data.tier, weekEnding: data.week_ending });
    const stored = await deps.rawStore.put(deps.pool, { domain: DOMAIN, tier: data.tier, weekEnding: data.week_ending }, object.body as import('node:stream').Readable, {
      source: source.kind, sourceUri: object.sourceUri, executionId: ctx.executionId, batchId: data.batch_id,
    });
    const capture = await resolveCapture(deps.pool, {
      domain: DOMAIN, weekEnding: data.week_ending, tier: data.tier, sha256: stored.sha256,
      sourceUri: `s3://${stored.bucket}/${stored.objectKey}`, executionId: ctx.executionId, batchId: data.batch_id,
    });
    const ms = Math.round(performance.now() - started);
    const metrics = { bytes: stored.sizeBytes, sha256: stored.sha256, revision: stored.revision, new_content: stored.isNew, source_uri: object.sourceUri, duration_ms: ms };
    await finishExecution(deps.pool, ctx.executionId, { status: 'completed', captureId: capture.captureId, metrics });
    await job.log(`fetch: ${stored.sizeBytes} bytes from ${object.sourceUri} -> s3://${stored.bucket}/${stored.objectKey} ` +
      `(revision ${stored.revision}, ${stored.isNew ? 'new content' : 'unchanged'}) capture ${capture.captureId} in ${ms} ms`);
    deps.metrics?.stageSeconds.observe({ stage: 'fetch' }, ms / 1000);
    return { capture_id: capture.captureId, raw_object_key: stored.objectKey, gated: false, rows: 0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishExecution(deps.pool, ctx.executionId, { status: 'failed', error: message, metrics: { duration_ms: Math.round(performance.now() - started) } });
    await job.log(`fetch failed (attempt ${job.attemptsMade + 1}): ${message}`);
    throw error;
  }
}
