import { partitionLabels, type PartitionKey, type StageRun } from '@spine/platform';
import type { WorkerDeps } from './worker-deps.ts';

/** The stage whose completion means a capture was ingested (its lines stored). */
const INGEST_STAGE = 'ingest';

/**
 * What one stage run adds to the worker's metrics: its duration and rows, a capture ingested when ingest completes, and
 * what the run wrote of its own capture that the data counters count: quality verdicts other than PASS and lines
 * rejected as duplicate keys. Read back from PostgreSQL by execution, so any stage that writes them is counted and a
 * re-run counts again. The stage has committed: a failure to read is logged, never the job's failure.
 */
export async function observeStageRun(deps: WorkerDeps, key: PartitionKey, run: StageRun): Promise<void> {
  const metrics = deps.metrics;
  if (!metrics) return;
  const dataset = key.domain;
  metrics.stageSeconds.observe({ dataset, stage: run.stage }, run.durationMs / 1000);
  metrics.stageRows.inc({ dataset, stage: run.stage }, run.rowCount);
  if (run.status === 'skipped') return;
  const partition = partitionLabels(deps.datasets.get(dataset), key);
  if (run.stage === INGEST_STAGE && run.status === 'completed') metrics.weeksIngested.inc(partition);
  try {
    const { rows } = await deps.pool.query<{ duplicates: number; failures: { check: string; status: string }[] }>(
      `SELECT (SELECT count(*)::int FROM core_rejects WHERE capture_id = $1 AND reason_code = 'DUPLICATE_KEY' AND execution_id = $2) AS duplicates,
              (SELECT COALESCE(jsonb_agg(jsonb_build_object('check', check_name, 'status', status)), '[]')
                 FROM core_quality WHERE capture_id = $1 AND execution_id = $2 AND status <> 'PASS') AS failures`,
      [key.captureId, run.executionId],
    );
    const { duplicates, failures } = rows[0]!;
    if (duplicates > 0) metrics.duplicateRecords.inc(partition, duplicates);
    for (const f of failures) metrics.validationFailures.inc({ dataset, check: f.check, status: f.status });
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message, stage: run.stage, execution_id: run.executionId }, 'could not read what the stage wrote for the data metrics');
  }
}
