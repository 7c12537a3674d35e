import type { Queryable } from '../db/pool.ts';
import { wireColumns, wireLabel, type MaybeWirePartition } from '../dataset/wire-partition.ts';

/** One execution; a partition's names it, a batch's names none. */
export interface ExecutionNode extends MaybeWirePartition {
  execution_id: string;
  parent_execution_id: string | null;
  batch_id: string;
  pipeline: string;
  stage: string;
  capture_id: string | null;
  status: string;
  attempt: number;
  job_id: string | null;
  worker: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
  metrics: Record<string, unknown>;
  children: ExecutionNode[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A stage's duration is its own measure (metrics.duration_ms): its finished_at is stamped by its transaction, with
 * the transaction's start time. A batch's node reports the batch's status: its execution only records the enqueue
 * (a single-week batch's is completed at once) and the window jobs, so it could say completed of a failed batch.
 */
const COLUMNS = `e.execution_id, e.parent_execution_id, e.batch_id, e.pipeline, e.stage, ${wireColumns('e')},
  e.capture_id, CASE WHEN e.stage = 'batch' THEN b.status ELSE e.status END AS status, e.attempt, e.job_id, e.worker,
  e.started_at, e.finished_at, COALESCE((e.metrics->>'duration_ms')::int, (extract(epoch FROM e.finished_at - e.started_at) * 1000)::int) AS duration_ms,
  e.error, e.metrics`;

/**
 * The execution tree of a batch (all its executions) or of one execution (it and its descendants), from
 * PostgreSQL: the durable record that outlives the queue's trimmed jobs. Empty when the id is unknown.
 */
export async function loadLineage(db: Queryable, id: string): Promise<{ batchId: string | null; roots: ExecutionNode[] }> {
  const rows = UUID.test(id)
    ? (
        await db.query<ExecutionNode>(
          `WITH RECURSIVE tree AS (
             SELECT * FROM core_executions WHERE execution_id = $1
             UNION ALL
             SELECT e.* FROM core_executions e JOIN tree t ON e.parent_execution_id = t.execution_id)
           SELECT ${COLUMNS} FROM tree e JOIN core_batches b USING (batch_id) ORDER BY e.started_at, e.execution_id`,
          [id],
        )
      ).rows
    : (await db.query<ExecutionNode>(`SELECT ${COLUMNS} FROM core_executions e JOIN core_batches b USING (batch_id) WHERE e.batch_id = $1 ORDER BY e.started_at, e.execution_id`, [id])).rows;
  return { batchId: rows[0]?.batch_id ?? null, roots: buildTree(rows) };
}

/** Links rows into trees; a row whose parent is outside the set is a root. */
export function buildTree(rows: Omit<ExecutionNode, 'children'>[]): ExecutionNode[] {
  const nodes = new Map(rows.map((r) => [r.execution_id, { ...r, children: [] as ExecutionNode[] }]));
  const roots: ExecutionNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_execution_id ? nodes.get(node.parent_execution_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Indented text rendering, one line per execution. */
export function renderTree(roots: ExecutionNode[]): string {
  const lines: string[] = [];
  const walk = (node: ExecutionNode, prefix: string, last: boolean, top: boolean) => {
    const branch = top ? '' : last ? '└─ ' : '├─ ';
    const where = wireLabel(node);
    const rows = typeof node.metrics?.rows === 'number' ? ` rows=${node.metrics.rows}` : '';
    const took = node.duration_ms === null ? '' : ` ${node.duration_ms}ms`;
    const err = node.error ? ` error=${JSON.stringify(node.error.slice(0, 120))}` : '';
    lines.push(`${prefix}${branch}${node.stage} [${node.status}] ${where}${rows}${took} ${node.execution_id}${err}`.replace(/ +/g, ' '));
    const childPrefix = top ? prefix : prefix + (last ? '   ' : '│  ');
    node.children.forEach((child, i) => walk(child, childPrefix, i === node.children.length - 1, false));
  };
  roots.forEach((root) => walk(root, '', true, true));
  return lines.join('\n');
}
