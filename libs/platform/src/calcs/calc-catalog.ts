import type { Queryable } from '../db/pool.ts';
import { wireColumns, type WirePartition } from '../dataset/wire-partition.ts';
import { describeExpectedRows, parseCalcVersion, versionOutput, type CalculationSpec } from './calculation-spec.ts';

export interface SpecSync {
  /** The versions the code declares. */
  versions: number;
  /** Those written because they were new or differed from the database's copy. */
  changed: number;
  /** Versions the database had and the code no longer declares. */
  removed: number;
}

/**
 * Copies the specs of a domain's calculations into core_calc_versions (one row per major version), writing only
 * those that are new or changed and removing versions the code no longer declares. Start-up runs it.
 * Parameters: the domain and its specs. Result: what was written.
 */
export async function syncCalcSpecs(db: Queryable, domain: string, specs: readonly CalculationSpec[]): Promise<SpecSync> {
  const rows = specs.map((spec) => {
    const { major, minor } = parseCalcVersion(spec.version);
    return {
      calc_name: spec.name, major, minor, stage: spec.stage, input_tables: spec.lineage.inputs, output_table: spec.lineage.output,
      version_table: versionOutput(spec), depends_on: spec.dependencies.dependsOn, weeks_required: spec.dependencies.weeksRequired,
      is_breaking: spec.behaviour.isBreaking, replaces: spec.behaviour.replaces, description: spec.documentation.description,
      assumptions: spec.documentation.assumptions, output_columns: spec.validation.outputColumns, row_key: spec.validation.rowKey,
      expected_rows: describeExpectedRows(spec),
    };
  });
  const changed = await db.query(
    `INSERT INTO core_calc_versions (domain, calc_name, major, minor, stage, input_tables, output_table, version_table, depends_on,
       weeks_required, is_breaking, replaces, description, assumptions, output_columns, row_key, expected_rows)
     SELECT $1, r.* FROM jsonb_to_recordset($2::jsonb) AS r (calc_name text, major integer, minor integer, stage text, input_tables text[],
       output_table text, version_table text, depends_on text[], weeks_required integer, is_breaking boolean, replaces text, description text,
       assumptions text[], output_columns text[], row_key text[], expected_rows text)
     ON CONFLICT (domain, calc_name, major) DO UPDATE SET
       minor = EXCLUDED.minor, stage = EXCLUDED.stage, input_tables = EXCLUDED.input_tables, output_table = EXCLUDED.output_table,
       version_table = EXCLUDED.version_table, depends_on = EXCLUDED.depends_on, weeks_required = EXCLUDED.weeks_required,
       is_breaking = EXCLUDED.is_breaking, replaces = EXCLUDED.replaces, description = EXCLUDED.description, assumptions = EXCLUDED.assumptions,
       output_columns = EXCLUDED.output_columns, row_key = EXCLUDED.row_key, expected_rows = EXCLUDED.expected_rows, synced_at = now()
       -- Only what changed is written: a start-up with the same release writes nothing.
       WHERE (core_calc_versions.minor, core_calc_versions.stage, core_calc_versions.input_tables, core_calc_versions.output_table,
         core_calc_versions.version_table, core_calc_versions.depends_on, core_calc_versions.weeks_required,
         core_calc_versions.is_breaking, core_calc_versions.replaces, core_calc_versions.description, core_calc_versions.assumptions,
         core_calc_versions.output_columns, core_calc_versions.row_key, core_calc_versions.expected_rows)
         IS DISTINCT FROM (EXCLUDED.minor, EXCLUDED.stage, EXCLUDED.input_tables, EXCLUDED.output_table, EXCLUDED.version_table, EXCLUDED.depends_on,
         EXCLUDED.weeks_required, EXCLUDED.is_breaking, EXCLUDED.replaces, EXCLUDED.description, EXCLUDED.assumptions,
         EXCLUDED.output_columns, EXCLUDED.row_key, EXCLUDED.expected_rows)`,
    [domain, JSON.stringify(rows)]);
  const removed = await db.query(
    `DELETE FROM core_calc_versions v WHERE v.domain = $1
        AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS r (calc_name text, major integer) WHERE r.calc_name = v.calc_name AND r.major = v.major)`,
    [domain, JSON.stringify(rows)]);
  return { versions: rows.length, changed: changed.rowCount ?? 0, removed: removed.rowCount ?? 0 };
}

export interface CatalogVersion {
  version: string;
  major: number;
  minor: number;
  is_current: boolean;
  is_breaking: boolean;
  replaces: string | null;
  input_tables: string[];
  output_table: string;
  version_table: string;
  weeks_required: number;
  description: string;
  assumptions: string[];
  output_columns: string[];
  row_key: string[];
  expected_rows: string | null;
  synced_at: string;
  /** The captures this version has run on (core_calc_captures: its lineage, or its stage's manifest), and their first and last week. */
  captures: number;
  first_week: string | null;
  last_week: string | null;
  row_checks_passed: number;
  row_checks_failed: number;
}

export interface CatalogEntry {
  calc_name: string;
  stage: string;
  current_version: number;
  depends_on: string[];
  /** The calculations that depend on this one. */
  dependants: string[];
  versions: CatalogVersion[];
}

/**
 * The domain's calculations as the database knows them: the graph, each synced version's spec, the captures each
 * version ran on and its row-count checks. A calculation whose specs were never synced has no versions.
 * Parameters: the domain. Result: one entry per calculation of the graph, by name.
 */
export async function loadCalcCatalog(db: Queryable, domain: string): Promise<CatalogEntry[]> {
  const { rows: graph } = await db.query<{ calc_name: string; stage: string; calc_version: number; depends_on: string[] }>(
    'SELECT calc_name, stage, calc_version, depends_on FROM core_calc_dependencies WHERE domain = $1 ORDER BY calc_name', [domain]);
  const { rows: versions } = await db.query<Omit<CatalogVersion, 'version' | 'is_current'> & { calc_name: string }>(
    `SELECT v.calc_name, v.major, v.minor, v.is_breaking, v.replaces, v.input_tables, v.output_table, v.version_table, v.weeks_required,
            v.description, v.assumptions, v.output_columns, v.row_key, v.expected_rows, to_char(v.synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS synced_at,
            COALESCE(runs.captures, 0) AS captures, runs.first_week, runs.last_week,
            COALESCE(checks.passed, 0) AS row_checks_passed, COALESCE(checks.failed, 0) AS row_checks_failed
       FROM core_calc_versions v
       LEFT JOIN (SELECT r.calc_name, r.calc_version, count(*)::int AS captures, min(c.period_end)::text AS first_week, max(c.period_end)::text AS last_week
                    FROM core_calc_captures r JOIN core_captures c USING (capture_key) WHERE c.domain = $1 GROUP BY 1, 2) runs
         ON runs.calc_name = v.calc_name AND runs.calc_version = v.major
       LEFT JOIN (SELECT k.calc_name, k.calc_version, (count(*) FILTER (WHERE k.status = 'PASS'))::int AS passed,
                         (count(*) FILTER (WHERE k.status = 'FAIL'))::int AS failed
                    FROM core_calc_row_checks k JOIN core_captures c USING (capture_key) WHERE c.domain = $1 GROUP BY 1, 2) checks
         ON checks.calc_name = v.calc_name AND checks.calc_version = v.major
      WHERE v.domain = $1 ORDER BY v.calc_name, v.major`, [domain]);
  return graph.map((node) => ({
    calc_name: node.calc_name,
    stage: node.stage,
    current_version: node.calc_version,
    depends_on: node.depends_on,
    dependants: graph.filter((other) => other.depends_on.includes(node.calc_name)).map((other) => other.calc_name),
    versions: versions.filter((v) => v.calc_name === node.calc_name).map(({ calc_name: _name, ...v }) => ({
      ...v, version: `v${v.major}.${v.minor}`, is_current: v.major === node.calc_version,
    })),
  }));
}

export interface CalcCaptureRun extends WirePartition {
  capture_id: string;
  calc_version: number;
  is_current: boolean;
  execution_id: string;
  batch_id: string;
  captured_at: string;
  row_check: { expected_rows: string; expected: number; actual: number; status: 'PASS' | 'FAIL' } | null;
}

/**
 * The captures a calculation ran on, newest week first, each version's run apart, with its row-count check.
 * Parameters: the domain, the calculation and how many rows at most. Result: one row per capture and version.
 */
export async function loadCalcCaptureRuns(db: Queryable, domain: string, calcName: string, limit: number): Promise<CalcCaptureRun[]> {
  const { rows } = await db.query<CalcCaptureRun>(
    `SELECT c.capture_id, ${wireColumns('c')}, r.calc_version, r.is_current, r.execution_id::text AS execution_id,
            r.batch_id, to_char(r.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS captured_at,
            CASE WHEN k.status IS NULL THEN NULL ELSE jsonb_build_object('expected_rows', k.expected_rows, 'expected', k.expected,
                 'actual', k.actual, 'status', k.status) END AS row_check
       FROM core_calc_captures r
       JOIN core_captures c USING (capture_key)
       LEFT JOIN core_calc_row_checks k ON k.capture_key = r.capture_key AND k.calc_name = r.calc_name AND k.calc_version = r.calc_version
      WHERE c.domain = $1 AND r.calc_name = $2
      ORDER BY c.period_end DESC, c.key_1, c.key_2, c.revision DESC, r.calc_version
      LIMIT $3`, [domain, calcName, limit]);
  return rows;
}
