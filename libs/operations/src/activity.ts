import { wireColumns, type MaybeWirePartition, type Queryable, type WirePartition } from '@spine/platform';

/** One page of a list, with how many rows the whole list has. */
export interface ListPage<T> {
  total: number;
  offset: number;
  limit: number;
  rows: T[];
}

export interface ListOptions {
  offset: number;
  limit: number;
  /** Only what needs someone: open warnings and errors, failed checks, failed or partial batches. */
  problemsOnly: boolean;
}

/** A list of `from` (a table or a subquery), filtered by `where` when only problems are asked for. */
async function listPage<T>(db: Queryable, list: { from: string; columns: string; order: string; problems: string }, options: ListOptions): Promise<ListPage<T>> {
  const filter = options.problemsOnly ? `WHERE ${list.problems}` : '';
  const [{ rows: counted }, { rows }] = await Promise.all([
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${list.from} ${filter}`),
    db.query<T & object>(`SELECT ${list.columns} FROM ${list.from} ${filter} ORDER BY ${list.order} LIMIT $1 OFFSET $2`, [options.limit, options.offset]),
  ]);
  return { total: counted[0]!.total, offset: options.offset, limit: options.limit, rows };
}

/** An anomaly of the whole dataset names no partition. */
export interface AnomalyRow extends MaybeWirePartition {
  anomaly_id: number;
  dataset: string;
  category: string;
  severity: string;
  message: string;
  detected_at: Date;
  resolved_at: Date | null;
}

/** Anomalies, newest first; problems: unresolved and above INFO. */
export function anomalyList(db: Queryable, options: ListOptions): Promise<ListPage<AnomalyRow>> {
  return listPage(db, {
    from: 'core_anomalies', problems: `resolved_at IS NULL AND severity <> 'INFO'`, order: 'detected_at DESC, anomaly_id DESC',
    columns: `anomaly_id, domain AS dataset, category, severity, ${wireColumns()}, message, detected_at, resolved_at`,
  }, options);
}

export interface QualityRow extends WirePartition {
  dataset: string;
  check_name: string;
  status: string;
  message: string;
  checked_at: Date;
}

/** The newest capture of every partition: what its quality checks judge. */
const NEWEST_CAPTURES_QUALITY = `core_quality q JOIN (SELECT DISTINCT ON (domain, period_end, key_1, key_2) capture_id FROM core_captures
  ORDER BY domain, period_end, key_1, key_2, revision DESC) newest USING (capture_id)`;

/** Quality verdicts of the newest captures, problems first, then newest weeks; problems: WARN and FAIL. */
export function qualityList(db: Queryable, options: ListOptions): Promise<ListPage<QualityRow>> {
  return listPage(db, {
    from: NEWEST_CAPTURES_QUALITY, problems: `q.status <> 'PASS'`,
    columns: `q.domain AS dataset, ${wireColumns('q')}, q.check_name, q.status, q.message, q.checked_at`,
    order: `CASE q.status WHEN 'FAIL' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END, q.period_end DESC, q.domain, q.key_1, q.key_2, q.check_name`,
  }, options);
}

/** How many checks of the newest captures passed, warned and failed. */
export async function qualitySummary(db: Queryable): Promise<Record<'PASS' | 'WARN' | 'FAIL', number>> {
  const { rows } = await db.query<{ status: 'PASS' | 'WARN' | 'FAIL'; checks: number }>(
    `SELECT q.status, count(*)::int AS checks FROM ${NEWEST_CAPTURES_QUALITY} GROUP BY q.status`,
  );
  return { PASS: 0, WARN: 0, FAIL: 0, ...Object.fromEntries(rows.map((r) => [r.status, r.checks])) };
}

export interface BatchRow {
  batch_id: string;
  kind: string;
  status: string;
  weeks_total: number;
  weeks_done: number;
  weeks_failed: number;
  requested_by: string | null;
  created_at: Date;
  finished_at: Date | null;
}

/** Batches, newest first, with their weeks done and failed; problems: failed or partial, or with a failed week. */
export function batchList(db: Queryable, options: ListOptions): Promise<ListPage<BatchRow>> {
  const counts = `(SELECT b.*, count(*) FILTER (WHERE e.stage = 'week' AND e.status IN ('completed', 'gated'))::int AS weeks_done,
      count(*) FILTER (WHERE e.stage = 'week' AND e.status = 'failed')::int AS weeks_failed
    FROM core_batches b LEFT JOIN core_executions e ON e.batch_id = b.batch_id GROUP BY b.batch_id) batches`;
  return listPage(db, {
    from: counts, problems: `status IN ('failed', 'partial') OR weeks_failed > 0`, order: 'created_at DESC, batch_id DESC',
    columns: 'batch_id, kind, status, weeks_total, weeks_done, weeks_failed, requested_by, created_at, finished_at',
  }, options);
}
