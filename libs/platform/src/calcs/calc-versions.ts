import { withTransaction, type Pool, type PoolClient, type Queryable } from '../db/pool.ts';
import { InputError } from '../errors.ts';
import { captureKeysInOrder, type CalcStamp } from '../lineage/calc-lineage.ts';

/**
 * Records that a version which the contract view does not serve ran on these captures (core_calc_version_lineage,
 * replacing that version's earlier run) and returns each capture's capture_key, in the order of `captureIds`.
 */
export async function stampVersionLineage(db: Queryable, captureIds: readonly string[], stamp: CalcStamp): Promise<number[]> {
  const { rows } = await db.query<{ capture_id: string; capture_key: number }>(
    `WITH stamped AS (
       INSERT INTO core_calc_version_lineage (capture_key, calc_name, calc_version, execution_id, batch_id, captured_at)
       SELECT capture_key, $2, $3, $4, $5, $6 FROM core_captures WHERE capture_id = ANY($1)
       ON CONFLICT (capture_key, calc_name, calc_version) DO UPDATE SET execution_id = EXCLUDED.execution_id,
         batch_id = EXCLUDED.batch_id, captured_at = EXCLUDED.captured_at
       RETURNING capture_key)
     SELECT c.capture_id, c.capture_key FROM core_captures c JOIN stamped USING (capture_key)`,
    [captureIds, stamp.calcName, stamp.calcVersion, stamp.executionId, stamp.batchId, stamp.capturedAt],
  );
  return captureKeysInOrder(rows, captureIds, `${stamp.calcName} v${stamp.calcVersion}`);
}

export interface Promotion {
  calc_name: string;
  from_version: number;
  to_version: number;
  /** Captures whose contract rows now come from the promoted version. */
  captures: number;
}

/**
 * Makes a major version current: the contract view serves it from now on, and the pipeline runs it. Every capture
 * the current version serves must have a run of the new one (spine calcs run); the current version's lineage is kept
 * side by side, so promoting the old version back restores the view exactly. One transaction, under an advisory
 * lock per calculation; refused (InputError, nothing written) when the version is unknown, current or has not run
 * on every capture.
 */
export function promoteCalcVersion(pool: Pool, domain: string, calcName: string, major: number): Promise<Promotion> {
  return withTransaction(pool, (client) => promoteInTransaction(client, domain, calcName, major));
}

async function promoteInTransaction(db: PoolClient, domain: string, calcName: string, major: number): Promise<Promotion> {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`calc-promote:${domain}:${calcName}`]);
  const { rows: [node] } = await db.query<{ calc_version: number; known: boolean }>(
    `SELECT d.calc_version, EXISTS (SELECT 1 FROM core_calc_versions v WHERE v.domain = d.domain AND v.calc_name = d.calc_name AND v.major = $3) AS known
       FROM core_calc_dependencies d WHERE d.domain = $1 AND d.calc_name = $2 FOR UPDATE`, [domain, calcName, major]);
  if (!node) throw new InputError(`no calculation ${calcName} in the graph`);
  if (!node.known) throw new InputError(`${calcName} has no version ${major} (spine calcs show ${calcName} lists them; run spine calcs sync after a release)`);
  if (node.calc_version === major) throw new InputError(`${calcName} v${major} is current already`);
  const { rows: [coverage] } = await db.query<{ missing: number; weeks: string[] | null }>(
    `SELECT count(*)::int AS missing, array_agg(DISTINCT c.period_end::text ORDER BY c.period_end::text) AS weeks
       FROM core_calc_lineage g JOIN core_captures c USING (capture_key)
      WHERE g.calc_name = $1 AND c.domain = $2
        AND NOT EXISTS (SELECT 1 FROM core_calc_version_lineage o WHERE o.capture_key = g.capture_key AND o.calc_name = g.calc_name AND o.calc_version = $3)`,
    [calcName, domain, major]);
  if (coverage!.missing > 0) {
    throw new InputError(`${calcName} v${major} has not run on ${coverage!.missing} capture(s) the current v${node.calc_version} serves ` +
      `(weeks ${coverage!.weeks!.join(', ')}): run spine calcs run ${calcName} --version ${major} --weeks ... first`);
  }
  // The current version's lineage moves aside, the promoted version's takes its place: no row is recomputed.
  await db.query(
    `INSERT INTO core_calc_version_lineage (capture_key, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT g.capture_key, g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at
       FROM core_calc_lineage g JOIN core_captures c USING (capture_key) WHERE g.calc_name = $1 AND c.domain = $2
     ON CONFLICT (capture_key, calc_name, calc_version) DO UPDATE SET execution_id = EXCLUDED.execution_id, batch_id = EXCLUDED.batch_id,
       captured_at = EXCLUDED.captured_at`, [calcName, domain]);
  const moved = await db.query(
    `WITH promoted AS (
       UPDATE core_calc_lineage g SET calc_version = o.calc_version, execution_id = o.execution_id, batch_id = o.batch_id, captured_at = o.captured_at
         FROM core_calc_version_lineage o, core_captures c
        WHERE o.capture_key = g.capture_key AND o.calc_name = g.calc_name AND o.calc_version = $3
          AND c.capture_key = g.capture_key AND c.domain = $2 AND g.calc_name = $1
       RETURNING g.capture_key)
     DELETE FROM core_calc_version_lineage o USING promoted p WHERE o.capture_key = p.capture_key AND o.calc_name = $1 AND o.calc_version = $3`,
    [calcName, domain, major]);
  await db.query('UPDATE core_calc_dependencies SET calc_version = $3 WHERE domain = $1 AND calc_name = $2', [domain, calcName, major]);
  return { calc_name: calcName, from_version: node.calc_version, to_version: major, captures: moved.rowCount ?? 0 };
}
