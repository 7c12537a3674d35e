import type { Queryable } from '../db/pool.ts';
import { isoInstant } from './research-endpoint.ts';

/** When the derived figures of a capture were last computed, and by which calculations. */
export interface CalculationFreshness {
  capture_id: string;
  /** The newest end of the calculation runs behind the capture's figures; null while one still runs. */
  calculated_at: string | null;
  calculations: string[];
}

/**
 * The calculation freshness of each capture: the runs (core_executions) recorded in its calculation lineage, which
 * are run again on a capture when an earlier week arrives or a re-run is forced.
 * Parameters: $1 capture ids. Result: one row per capture that has lineage.
 */
export async function calculationFreshness(db: Queryable, captureIds: readonly string[]): Promise<CalculationFreshness[]> {
  const { rows } = await db.query<CalculationFreshness>(
    `SELECT c.capture_id, CASE WHEN NOT bool_or(e.finished_at IS NULL) THEN ${isoInstant('max(e.finished_at)')} END AS calculated_at,
            array_agg(g.calc_name || ' v' || g.calc_version ORDER BY g.calc_name) AS calculations
       FROM core_captures c
       JOIN core_calc_lineage g ON g.capture_key = c.capture_key
       LEFT JOIN core_executions e ON e.execution_id = g.execution_id
      WHERE c.capture_id = ANY($1::text[])
      GROUP BY c.capture_id`,
    [captureIds],
  );
  return rows;
}
