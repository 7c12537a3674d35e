import type { Queryable } from '../db/pool.ts';

export interface CalcStamp {
  calcName: string;
  calcVersion: number;
  executionId: string;
  batchId: string;
  capturedAt: string;
}

/**
 * Records which execution of which calculation wrote the rows of each capture (one core_calc_lineage row per
 * capture and calculation, replacing the previous run's) and returns each capture's compact capture_key, in the
 * order of `captureIds`. Row-level views join this row, so lineage is stored once per capture instead of per row.
 */
export async function stampCalcLineage(db: Queryable, captureIds: readonly string[], stamp: CalcStamp): Promise<number[]> {
  const { rows } = await db.query<{ capture_id: string; capture_key: number }>(
    `WITH stamped AS (
       INSERT INTO core_calc_lineage (capture_key, calc_name, calc_version, execution_id, batch_id, captured_at)
       SELECT capture_key, $2, $3, $4, $5, $6 FROM core_captures WHERE capture_id = ANY($1)
       ON CONFLICT (capture_key, calc_name) DO UPDATE SET calc_version = EXCLUDED.calc_version, execution_id = EXCLUDED.execution_id,
         batch_id = EXCLUDED.batch_id, captured_at = EXCLUDED.captured_at
       RETURNING capture_key)
     SELECT c.capture_id, c.capture_key FROM core_captures c JOIN stamped USING (capture_key)`,
    [captureIds, stamp.calcName, stamp.calcVersion, stamp.executionId, stamp.batchId, stamp.capturedAt],
  );
  return captureKeysInOrder(rows, captureIds, stamp.calcName);
}

/** Each capture's capture_key from a stamp's RETURNING rows, in the order of `captureIds`; a capture missing is an error. */
export function captureKeysInOrder(rows: readonly { capture_id: string; capture_key: number }[], captureIds: readonly string[], what: string): number[] {
  const keys = new Map(rows.map((r) => [r.capture_id, r.capture_key]));
  return captureIds.map((id) => {
    const key = keys.get(id);
    if (key === undefined) throw new Error(`capture ${id} is not in core_captures: cannot stamp ${what}`);
    return key;
  });
}
