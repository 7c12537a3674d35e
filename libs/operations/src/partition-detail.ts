import type { Partition, Queryable } from '@spine/platform';
import { queueOfStage } from '@spine/orchestration/queue-names';
import { runTiming, stageDurationMs, type RunTiming, type TimedExecution } from './run-timing.ts';

export interface CaptureView {
  capture_id: string;
  revision: number;
  source_sha256: string;
  source_uri: string;
  captured_at: Date;
  batch_id: string;
  stages: { stage: string; status: string; row_count: number }[];
}

export interface StageExecutionView {
  execution_id: string;
  stage: string;
  status: string;
  attempt: number;
  started_at: Date;
  /** The stage's own measure of its work, not its row's finished_at - started_at. */
  duration_ms: number | null;
  rows: number | null;
  error: string | null;
  /** The Bull Board job that ran it, while the queue keeps it. */
  job: { queue: string; id: string } | null;
}

export interface RunView extends RunTiming {
  batch_id: string;
  batch_kind: string;
  requested_by: string | null;
  /** The week execution's status; a run without one (the stages of an older layout) takes its last stage's. */
  status: string;
  started_at: Date;
  error: string | null;
  stages: StageExecutionView[];
}

export interface RejectSummary {
  reason_code: string;
  count: number;
  first_line: number;
  example: string;
}

export interface QualityCheckView {
  check_name: string;
  status: string;
  observed: string | null;
  threshold: string | null;
  message: string;
}

export interface PartitionDetail {
  captures: CaptureView[];
  /** Newest first, at most `runs` of them. */
  runs: RunView[];
  /** Of the newest capture. */
  rejects: RejectSummary[];
  /** Of the newest capture, problems first. */
  quality: QualityCheckView[];
}

interface ExecutionRow extends TimedExecution {
  execution_id: string;
  batch_id: string;
  batch_kind: string;
  requested_by: string | null;
  attempt: number;
  job_id: string | null;
  error: string | null;
}

/**
 * Everything recorded about one partition: its captures (revisions) with their stage states, its runs newest first
 * with each stage's duration, attempts and job, the rejects and quality checks of its newest capture.
 */
export async function partitionDetail(db: Queryable, p: Partition, options: { now: Date; runs?: number }): Promise<PartitionDetail> {
  const params = [p.domain, p.key1, p.key2, p.periodEnd];
  const { rows: captures } = await db.query<CaptureView>(
    `SELECT c.capture_id, c.revision, c.source_sha256, c.source_uri, c.captured_at, c.batch_id,
            COALESCE(jsonb_agg(jsonb_build_object('stage', m.stage, 'status', m.status, 'row_count', m.row_count) ORDER BY m.updated_at)
                     FILTER (WHERE m.stage IS NOT NULL), '[]') AS stages
       FROM core_captures c LEFT JOIN core_manifest m ON m.capture_id = c.capture_id
      WHERE c.domain = $1 AND c.key_1 = $2 AND c.key_2 = $3 AND c.period_end = $4
      GROUP BY c.capture_id ORDER BY c.revision DESC`,
    params,
  );
  const { rows: executions } = await db.query<ExecutionRow>(
    `WITH runs AS (
       SELECT batch_id, min(started_at) AS first_started FROM core_executions
        WHERE key_1 = $2 AND key_2 = $3 AND period_end = $4 GROUP BY batch_id ORDER BY first_started DESC LIMIT $5)
     SELECT e.execution_id, e.batch_id, b.kind AS batch_kind, b.requested_by, e.stage, e.status, e.attempt, e.job_id, e.started_at, e.finished_at, e.error, e.metrics
       FROM core_executions e JOIN runs r USING (batch_id) JOIN core_batches b USING (batch_id)
      WHERE e.key_1 = $2 AND e.key_2 = $3 AND e.period_end = $4 AND b.domain = $1
      ORDER BY r.first_started DESC, e.started_at, e.execution_id`,
    [...params, options.runs ?? 10],
  );
  const newest = captures[0]?.capture_id;
  const [rejects, quality] = newest ? await Promise.all([rejectSummary(db, newest), qualityChecks(db, newest)]) : [[], []];
  return { captures, runs: groupRuns(executions, options.now), rejects, quality };
}

function groupRuns(executions: ExecutionRow[], now: Date): RunView[] {
  const byBatch = new Map<string, ExecutionRow[]>();
  for (const e of executions) byBatch.set(e.batch_id, [...(byBatch.get(e.batch_id) ?? []), e]);
  return [...byBatch.values()].map((run) => {
    const week = run.find((e) => e.stage === 'week');
    const stages = run.filter((e) => e.stage !== 'week');
    return {
      batch_id: run[0]!.batch_id, batch_kind: run[0]!.batch_kind, requested_by: run[0]!.requested_by,
      status: week?.status ?? stages.at(-1)?.status ?? 'unknown', started_at: run[0]!.started_at, error: week?.error ?? null,
      ...runTiming(run, now),
      stages: stages.map((e) => ({
        execution_id: e.execution_id, stage: e.stage, status: e.status, attempt: e.attempt, started_at: e.started_at,
        duration_ms: stageDurationMs(e), rows: typeof e.metrics.rows === 'number' ? e.metrics.rows : null, error: e.error,
        job: e.job_id ? { queue: queueOfStage(e.stage), id: e.job_id } : null,
      })),
    };
  });
}

async function rejectSummary(db: Queryable, captureId: string): Promise<RejectSummary[]> {
  const { rows } = await db.query<RejectSummary>(
    `SELECT reason_code, count(*)::int AS count, min(line_number) AS first_line, (array_agg(reason_detail ORDER BY line_number))[1] AS example
       FROM core_rejects WHERE capture_id = $1 GROUP BY reason_code ORDER BY count(*) DESC, reason_code`,
    [captureId],
  );
  return rows;
}

async function qualityChecks(db: Queryable, captureId: string): Promise<QualityCheckView[]> {
  const { rows } = await db.query<QualityCheckView>(
    `SELECT check_name, status, observed::text, threshold::text, message FROM core_quality WHERE capture_id = $1
      ORDER BY CASE status WHEN 'FAIL' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END, check_name`,
    [captureId],
  );
  return rows;
}
