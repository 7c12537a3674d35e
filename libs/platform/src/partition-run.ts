// The modules themselves, not the package's index, which loads the S3 client and the migration runner: a partition
// run from the command line needs neither.
import { loadCalcGraph } from './calc-graph.ts';
import { resolveCapture } from './captures.ts';
import { withAdvisoryLock } from './db/advisory-lock.ts';
import type { Pool } from './db/pool.ts';
import { partitionFields, type DatasetDefinition, type RunFileRequest, type RunFileResult } from './dataset/dataset-definition.ts';
import { sha256File } from './hashing.ts';
import { createBatch } from './lineage/batches.ts';
import { startExecution } from './lineage/executions.ts';
import { recordPartitionEnd, recordPartitionStarted, type PartitionOutcome } from './partition-outcome.ts';
import { runStage, type StageRun } from './stage-runner.ts';

/**
 * Runs every stage of one partition in this process from a local file (`spine run-week`), under the partition's
 * advisory lock: what the worker's chain of jobs does, without queues, and recorded the same way (a `manual` batch of
 * one partition, its `week` execution, readiness and the batch's outcome through partition-outcome.ts). The file
 * is resolved to a capture as a fetched one is; completed stages of that capture are skipped unless forced; a quality
 * gate stops the chain. Bad input is an InputError (from the dataset's prepareFile) and writes nothing.
 */
export async function runPartition(pool: Pool, dataset: DatasetDefinition, req: RunFileRequest): Promise<RunFileResult> {
  const started = performance.now();
  const { key1, key2, source } = await dataset.prepareFile(req);
  // Hashing reads the file while the first connection opens and the calculation graph loads.
  const [{ sha256 }, graph] = await Promise.all([sha256File(req.file), loadCalcGraph(pool, dataset.name)]);
  const stages = await dataset.buildStages(graph, { maxRejectShare: req.maxRejectShare, source, groupMemoryBytes: req.groupMemoryBytes, copyQueueBytes: req.copyQueueBytes });
  const partition = { domain: dataset.name, periodEnd: req.periodEnd, key1, key2 };
  const batchId = await createBatch(pool, { kind: 'manual', domain: dataset.name, weeksTotal: 1, params: { ...partitionFields(dataset, partition), file: req.file, force: !!req.force } });
  const root = await startExecution(pool, { batchId, pipeline: dataset.pipeline, stage: 'week', periodEnd: req.periodEnd, key1, key2 });
  // Before the capture exists, a failure is the source's: the fetch stage's, as in the worker.
  let current = dataset.stages[0]!.name;
  let captureId: string | undefined;
  try {
    const { capture, runs, outcome } = await withAdvisoryLock(pool, `run:${dataset.name}:${key1}:${key2}:${req.periodEnd}`, async () => {
      const capture = await resolveCapture(pool, { ...partition, idPrefix: dataset.codec.captureIdPrefix(partition), sha256, sourceUri: source.uri, executionId: root.executionId, batchId });
      captureId = capture.captureId;
      const key = { ...partition, captureId: capture.captureId };
      await recordPartitionStarted(pool, key, batchId);
      const runs: StageRun[] = [];
      for (const stage of stages) {
        current = stage.name;
        const run = await runStage(pool, { key, stage, pipeline: dataset.pipeline, batchId, parent: root, force: !!req.force, logger: req.logger });
        runs.push(run);
        if (run.status === 'gated') return { capture, runs, outcome: { status: 'gated', stage: stage.name } as PartitionOutcome };
      }
      return { capture, runs, outcome: { status: 'completed' } as PartitionOutcome };
    });
    const durationMs = Math.round(performance.now() - started);
    await recordPartitionEnd(pool, { key: { ...partition, captureId: capture.captureId }, batchId, executionId: root.executionId, outcome, closesBatch: true, metrics: { duration_ms: durationMs } });
    return {
      batchId, executionId: root.executionId, periodEnd: req.periodEnd, key1, key2, captureId: capture.captureId,
      revision: capture.revision, status: outcome.status === 'gated' ? 'gated' : 'completed', stages: runs, durationMs,
    };
  } catch (error) {
    const outcome: PartitionOutcome = { status: 'failed', stage: current, error: error instanceof Error ? error.message : String(error) };
    await recordPartitionEnd(pool, { key: { ...partition, captureId }, batchId, executionId: root.executionId, outcome, closesBatch: true });
    throw error;
  }
}
