import { wireColumns, wireLabel, wireSeriesOf, type Queryable, type WirePartition } from '@spine/platform';
import { runTiming, type RunTiming, type TimedExecution } from './run-timing.ts';

/** A partition as batch parameters list it. */
export type ListedPartition = WirePartition;

/** What was asked for, as far as the batch's parameters say (scheduled batches have no range). */
export interface BatchRequest {
  tiers: string[] | null;
  venue_types: string[] | null;
  from: string | null;
  to: string | null;
  source: string | null;
  force: boolean;
  max_reject_share: number | null;
}

export interface BatchPartition extends ListedPartition, RunTiming {
  status: string;
  capture_id: string | null;
  /** Lines the ingest stage loaded for the partition's capture. */
  rows: number | null;
  rejects: number | null;
  /** Why it failed, while it is failed. */
  error: string | null;
}

export interface BatchReport {
  batch_id: string;
  /** The dataset of its partitions (core_batches.domain). */
  dataset: string;
  kind: string;
  status: string;
  close_reason: string | null;
  requested_by: string | null;
  created_at: Date;
  finished_at: Date | null;
  request: BatchRequest;
  /** Partitions of the request that this batch did not run, and why. */
  skipped: { not_published: ListedPartition[]; in_flight: ListedPartition[]; retried_elsewhere: ListedPartition[] };
  partitions: BatchPartition[];
}

/** The batch's own row: the report's head, and the parameters the request is read from. */
type BatchRow = Omit<BatchReport, 'request' | 'skipped' | 'partitions'> & { params: Record<string, unknown> };

interface PartitionExecution extends TimedExecution, ListedPartition {
  capture_id: string | null;
  error: string | null;
}

const listed = (value: unknown): ListedPartition[] => (Array.isArray(value) ? (value as ListedPartition[]) : []);
const strings = (value: unknown): string[] | null => (Array.isArray(value) ? value.map(String) : null);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * A batch as its operator needs it: the request (what, range, source, who, when), every partition it ran with its
 * status, rows, rejects, processing time and queue wait, and the partitions it skipped. Undefined for an unknown id.
 */
export async function batchReport(db: Queryable, batchId: string, now: Date): Promise<BatchReport | undefined> {
  const { rows: batches } = await db.query<BatchRow>(
    'SELECT batch_id, domain AS dataset, kind, status, close_reason, requested_by, created_at, finished_at, params FROM core_batches WHERE batch_id = $1',
    [batchId],
  );
  const batch = batches[0];
  if (!batch) return undefined;
  const { rows: executions } = await db.query<PartitionExecution>(
    `SELECT ${wireColumns()}, stage, status, started_at, finished_at, metrics, error, capture_id
       FROM core_executions WHERE batch_id = $1 AND period_end IS NOT NULL ORDER BY period_end, key_1, key_2, started_at`,
    [batchId],
  );
  const byPartition = new Map<string, PartitionExecution[]>();
  for (const e of executions) {
    const key = wireLabel(e);
    byPartition.set(key, [...(byPartition.get(key) ?? []), e]);
  }
  const captureIds = [...byPartition.values()].map(captureOf).filter((id): id is string => id !== null);
  const counts = await captureCounts(db, captureIds);
  const p = batch.params;
  return {
    batch_id: batch.batch_id, dataset: batch.dataset, kind: batch.kind, status: batch.status, close_reason: batch.close_reason, requested_by: batch.requested_by,
    created_at: batch.created_at, finished_at: batch.finished_at,
    request: {
      tiers: strings(p.tiers), venue_types: strings(p.venue_types), from: text(p.from), to: text(p.to), source: text(p.source),
      force: p.force === true, max_reject_share: typeof p.max_reject_share === 'number' ? p.max_reject_share : null,
    },
    skipped: { not_published: listed(p.weeks_unpublished), in_flight: listed(p.weeks_in_flight), retried_elsewhere: listed(p.weeks_retried) },
    partitions: [...byPartition.values()].map((run) => {
      const week = run.find((e) => e.stage === 'week');
      const captureId = captureOf(run);
      const count = captureId ? counts.get(captureId) : undefined;
      const status = week?.status ?? run.at(-1)!.status;
      // An attempt that failed before a retry succeeded is history (the partition's page lists it), not the status.
      const error = status === 'failed' ? week?.error ?? run.filter((e) => e.status === 'failed').at(-1)?.error ?? null : null;
      return {
        ...wireSeriesOf(run[0]!), week_ending: run[0]!.week_ending,
        status, capture_id: captureId, rows: count?.rows ?? null, rejects: count?.rejects ?? null, error, ...runTiming(run, now),
      };
    }),
  };
}

/** The capture a partition's run worked on: the week's (set when it ends), else the one its fetch resolved. */
function captureOf(run: PartitionExecution[]): string | null {
  return run.find((e) => e.stage === 'week')?.capture_id ?? run.find((e) => e.capture_id)?.capture_id ?? null;
}

async function captureCounts(db: Queryable, captureIds: string[]): Promise<Map<string, { rows: number | null; rejects: number }>> {
  if (captureIds.length === 0) return new Map();
  const { rows } = await db.query<{ capture_id: string; rows: string | null; rejects: number }>(
    `SELECT c.capture_id,
            (SELECT m.row_count FROM core_manifest m WHERE m.capture_id = c.capture_id AND m.stage = 'ingest') AS rows,
            (SELECT count(*) FROM core_rejects r WHERE r.capture_id = c.capture_id)::int AS rejects
       FROM unnest($1::text[]) AS c(capture_id)`,
    [captureIds],
  );
  return new Map(rows.map((r) => [r.capture_id, { rows: r.rows === null ? null : Number(r.rows), rejects: r.rejects }]));
}
