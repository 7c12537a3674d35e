import pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import { describeExpectedRows, parseCalcVersion, versionOutput, type CalculationSpec } from './calculation-spec.ts';

export interface RowCountCheck {
  calc_name: string;
  calc_version: number;
  expected_rows: string;
  expected: number;
  actual: number;
  status: 'PASS' | 'FAIL';
}

/**
 * The expected row count of one run on one capture, as a check of its own: counts the capture's rows in the
 * version's relation and records the verdict in core_calc_row_checks (replacing the previous run's). `expected` is
 * the count the spec's grain gives for this capture (the domain knows how to count a symbol-week). Kept apart from
 * core_quality, whose checks make the capture's quality verdict.
 * Parameters: the capture, the spec, the expected count, the run's execution. Result: the check, as recorded.
 */
export async function recordRowCountCheck(db: Queryable, check: { captureId: string; spec: CalculationSpec; expected: number; executionId: string }): Promise<RowCountCheck> {
  const expectedRows = describeExpectedRows(check.spec);
  if (expectedRows === null) throw new Error(`${check.spec.name} ${check.spec.version} declares no expected row count`);
  const calcVersion = parseCalcVersion(check.spec.version).major;
  // One statement: the count, the verdict recorded, and both returned.
  const { rows: [checked] } = await db.query<{ actual: number; status: 'PASS' | 'FAIL' }>(
    `WITH counted AS (
       SELECT n AS actual, CASE WHEN n = $5::bigint THEN 'PASS' ELSE 'FAIL' END AS status
       FROM (SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(check.spec.validation.rowsCountedIn ?? versionOutput(check.spec))} WHERE capture_id = $1) c),
     recorded AS (
       INSERT INTO core_calc_row_checks (capture_key, calc_name, calc_version, expected_rows, expected, actual, status, execution_id)
       SELECT capture_key, $2, $3, $4, $5, counted.actual, counted.status, $6 FROM core_captures, counted WHERE capture_id = $1
       ON CONFLICT (capture_key, calc_name, calc_version) DO UPDATE SET expected_rows = EXCLUDED.expected_rows, expected = EXCLUDED.expected,
         actual = EXCLUDED.actual, status = EXCLUDED.status, execution_id = EXCLUDED.execution_id, checked_at = now())
     SELECT actual, status FROM counted`,
    [check.captureId, check.spec.name, calcVersion, expectedRows, check.expected, check.executionId]);
  const { actual, status } = checked!;
  return { calc_name: check.spec.name, calc_version: calcVersion, expected_rows: expectedRows, expected: check.expected, actual, status };
}
