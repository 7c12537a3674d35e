import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalcCatalog } from '@spine/platform/calcs/calc-catalog';
import { CalcSpecMismatchError, registeredVersion } from '@spine/platform/calcs/calc-registry';
import { promoteCalcVersion } from '@spine/platform/calcs/calc-versions';
import { compareCalcVersions } from '@spine/platform/calcs/version-compare';
import { InputError } from '@spine/platform/errors';
import { DOMAIN } from '@spine/otc/calcs/calc';
import { syncDatasetCalculations } from '@spine/platform/calcs/dataset-calculations';
import { otcCalculations } from '@spine/otc/stages/otc-dataset-calculations';
import { runCalcVersion } from '@spine/otc/stages/calc-version-run';
import { OTC_CALCULATIONS } from '@spine/otc/stages/otc-calculations';
import { testPool, resetData } from '../support/database.ts';
import { goldenWeeks, loadGolden } from '../support/golden.ts';

const pool = testPool();
const NAME = 'otc_symbol_concentration';
const WEEKS = [...new Set(goldenWeeks().map((w) => w.weekEnding))];
const spec = (major: number) => registeredVersion(OTC_CALCULATIONS, NAME, major)!.spec;

/** The contract view and its _latest view exactly as a reader gets them: every column of every row, as text. */
async function contractBytes(): Promise<string[]> {
  const { rows } = await pool.query<{ row: string }>(
    `SELECT t::text AS row FROM otc_symbol_concentration t ORDER BY capture_id, symbol`);
  const { rows: latest } = await pool.query<{ row: string }>(
    `SELECT t::text AS row FROM otc_symbol_concentration_latest t ORDER BY capture_id, symbol`);
  return [...rows, ...latest].map((r) => r.row);
}

beforeAll(async () => {
  await resetData(pool);
  await loadGolden(pool);
  await syncDatasetCalculations(pool, DOMAIN, otcCalculations);
});
afterAll(async () => {
  // The graph outlives this file: leave v1 current whatever happened above.
  await pool.query(`UPDATE core_calc_dependencies SET calc_version = 1 WHERE domain = $1 AND calc_name = $2`, [DOMAIN, NAME]);
  await resetData(pool);
  await pool.end();
});

describe('calculation specs', () => {
  it('syncs every registered version into core_calc_versions, with the graph, dependants and the captures each ran on', async () => {
    const { rows } = await pool.query(`SELECT calc_name, major, minor, is_breaking, replaces, version_table, expected_rows
        FROM core_calc_versions WHERE domain = 'otc' AND calc_name = $1 ORDER BY major`, [NAME]);
    expect(rows).toEqual([
      { calc_name: NAME, major: 1, minor: 0, is_breaking: false, replaces: null, version_table: 'otc_symbol_concentration_v1', expected_rows: '1 per symbol-week' },
      { calc_name: NAME, major: 2, minor: 0, is_breaking: true, replaces: 'v1.0', version_table: 'otc_symbol_concentration_v2', expected_rows: '1 per symbol-week' },
    ]);
    const catalog = await loadCalcCatalog(pool, DOMAIN);
    expect(catalog.map((c) => c.calc_name).sort()).toEqual(Object.keys(OTC_CALCULATIONS).sort());
    const summary = catalog.find((c) => c.calc_name === 'otc_symbol_summary')!;
    expect(summary.dependants).toEqual(expect.arrayContaining([NAME, 'otc_liquidity_score', 'otc_research_snapshot', 'otc_symbol_rolling_6w']));
    const captures = (await pool.query(`SELECT count(*)::int AS n FROM core_captures`)).rows[0].n;
    expect(summary.versions[0]).toMatchObject({ version: 'v1.0', is_current: true, captures, first_week: WEEKS[0], last_week: WEEKS.at(-1) });
    // A calculation without a lineage row of its own ran on every capture whose stage completed.
    for (const name of ['otc_venue_share', 'otc_quality', 'otc_quality_week_over_week']) {
      expect(catalog.find((c) => c.calc_name === name)!.versions[0]!.captures, name).toBe(captures);
    }
    // A second sync writes nothing; one after the database's copy drifted puts the code's spec back and drops what the code lacks.
    expect(await syncDatasetCalculations(pool, DOMAIN, otcCalculations)).toEqual({ versions: 13, changed: 0, removed: 0 });
    await pool.query(`UPDATE core_calc_versions SET description = 'edited' WHERE calc_name = $1 AND major = 2`, [NAME]);
    await pool.query(`INSERT INTO core_calc_versions SELECT domain, calc_name, 9, minor, stage, input_tables, output_table, version_table, depends_on,
        weeks_required, is_breaking, replaces, description, assumptions, output_columns, row_key, expected_rows FROM core_calc_versions
        WHERE calc_name = $1 AND major = 2`, [NAME]);
    expect(await syncDatasetCalculations(pool, DOMAIN, otcCalculations)).toEqual({ versions: 13, changed: 1, removed: 1 });
    expect((await pool.query(`SELECT description FROM core_calc_versions WHERE calc_name = $1 AND major = 2`, [NAME])).rows[0].description)
      .toBe(spec(2).documentation.description);
  });

  it('fails loudly, naming each disagreement, when the database graph and the specs differ', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE core_calc_dependencies SET depends_on = '{otc_symbol_summary}' WHERE domain = 'otc' AND calc_name = 'otc_liquidity_score'`);
      await client.query(`UPDATE core_calc_dependencies SET calc_version = 3 WHERE domain = 'otc' AND calc_name = $1`, [NAME]);
      await client.query(`INSERT INTO core_calc_dependencies (domain, calc_name, calc_version, stage, depends_on) VALUES ('otc', 'otc_unknown', 1, 'aggregate', '{}')`);
      await client.query(`UPDATE core_calc_dependencies SET depends_on = '{otc_raw,otc_symbol_summary}' WHERE domain = 'otc' AND calc_name = 'otc_liquidity_score'`);
      const failure = await syncDatasetCalculations(client, DOMAIN, otcCalculations).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CalcSpecMismatchError);
      expect((failure as CalcSpecMismatchError).problems).toEqual([
        `otc_liquidity_score: depends on [otc_symbol_summary] by its spec, [otc_raw,otc_symbol_summary] by the graph`,
        `${NAME}: the graph's current version 3 has no spec`,
        'otc_unknown: in the graph, no code',
      ]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('checks the expected row count of each run apart from core_quality: every golden capture passes', async () => {
    const { rows } = await pool.query(`SELECT calc_name, status, count(*)::int AS n, bool_and(expected = actual) AS equal, min(expected)::int AS least
        FROM core_calc_row_checks GROUP BY 1, 2 ORDER BY 1, 2`);
    const captures = (await pool.query(`SELECT count(*)::int AS n FROM core_captures`)).rows[0].n;
    expect(rows.map((r) => [r.calc_name, r.status, r.n, r.equal])).toEqual(
      [NAME, 'otc_liquidity_score', 'otc_research_snapshot', 'otc_symbol_rolling_6w', 'otc_symbol_summary', 'otc_venue_volume'].sort().map((name) => [name, 'PASS', captures, true]));
    expect(rows.every((r) => r.least > 0)).toBe(true);
  });

  it('records a failed row check when a run leaves rows missing', async () => {
    const { rows: [capture] } = await pool.query(`SELECT capture_id, capture_key FROM core_captures ORDER BY capture_key LIMIT 1`);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`DELETE FROM otc_concentration_v2_symbols WHERE capture_key = $1`, [capture.capture_key]);
      const { recordRowCountCheck } = await import('@spine/platform/calcs/row-count-check');
      const { rows: [{ execution_id }] } = await client.query(`SELECT execution_id FROM core_executions LIMIT 1`);
      const check = await recordRowCountCheck(client, { captureId: capture.capture_id, spec: spec(2), expected: 3, executionId: execution_id });
      expect(check).toEqual({ calc_name: NAME, calc_version: 2, expected_rows: '1 per symbol-week', expected: 3, actual: 0, status: 'FAIL' });
      const { rows: recorded } = await client.query(`SELECT expected_rows, expected::int, actual::int, status, execution_id FROM core_calc_row_checks
        WHERE capture_key = $1 AND calc_name = $2 AND calc_version = 2`, [capture.capture_key, NAME]);
      expect(recorded).toEqual([{ expected_rows: '1 per symbol-week', expected: 3, actual: 0, status: 'FAIL', execution_id }]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('versions side by side', () => {
  it('refuses to promote a version that has not run on every capture the current one serves, changing nothing', async () => {
    const before = await contractBytes();
    const refusal = await promoteCalcVersion(pool, DOMAIN, NAME, 2).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as Error).message).toMatch(/v2 has not run on \d+ capture\(s\) the current v1 serves .*spine calcs run otc_symbol_concentration --version 2/);
    expect(await contractBytes()).toEqual(before);
  });

  it('runs v2 over the captures already loaded: HHI in points (0..10,000) beside v1, v1 x 10,000 to the digit, row counts checked', async () => {
    const lines = (await pool.query(`SELECT count(*)::int AS n FROM otc_week_lines`)).rows[0].n;
    const run = await runCalcVersion(pool, { calcName: NAME, major: 2, weeks: WEEKS });
    const captures = (await pool.query(`SELECT count(*)::int AS n FROM core_captures`)).rows[0].n;
    expect(run.captures).toHaveLength(captures);
    expect(run.captures.every((c) => c.row_check?.status === 'PASS' && c.rows === c.row_check.expected)).toBe(true);
    expect((await pool.query(`SELECT count(*)::int AS n FROM otc_week_lines`)).rows[0].n).toBe(lines);
    const { rows: [pair] } = await pool.query(`SELECT count(*)::int AS rows,
          count(*) FILTER (WHERE v2.hhi IS NOT DISTINCT FROM v1.hhi * 10000)::int AS scaled,
          count(*) FILTER (WHERE v2.hhi > 1)::int AS in_points, max(v2.hhi)::text AS max
        FROM otc_symbol_concentration_v1 v1 JOIN otc_symbol_concentration_v2 v2 USING (capture_id, symbol)`);
    const v1Rows = (await pool.query(`SELECT count(*)::int AS n FROM otc_symbol_concentration_v1`)).rows[0].n;
    expect(pair.rows).toBe(v1Rows);
    expect(pair.scaled).toBe(pair.rows);
    expect(pair.in_points).toBeGreaterThan(0);
    expect(pair.max).toBe('10000.00');
    // The contract view still serves v1, its lineage untouched.
    expect((await pool.query(`SELECT DISTINCT calc_version FROM otc_symbol_concentration`)).rows).toEqual([{ calc_version: 1 }]);
    const show = (await pool.query(`SELECT count(*)::int AS n FROM core_calc_version_lineage WHERE calc_name = $1 AND calc_version = 2`, [NAME])).rows[0].n;
    expect(show).toBe(captures);
  });

  it('compares v1 and v2 per column: only the HHI changed, by up to 9,999 x its v1 value; the symbols that differ most first', async () => {
    const week = '2025-12-05';
    const comparison = await compareCalcVersions(pool, spec(1), spec(2), { weeks: [week], top: 3 });
    const rows = (await pool.query(`SELECT count(*)::int AS n, count(hhi)::int AS priced, max(hhi)::float8 AS max, avg(hhi)::float8 AS mean
        FROM otc_symbol_concentration_v1 WHERE week_ending = $1`, [week])).rows[0];
    expect(comparison.rows).toBe(rows.n);
    const byColumn = Object.fromEntries(comparison.columns.map((c) => [c.column, c]));
    expect(Object.keys(byColumn)).toEqual(['venue_count', 'hhi', 'top_mpid', 'top_venue_share_pct']);
    expect(byColumn.venue_count).toMatchObject({ changed: 0, max_abs_diff: 0, top: [] });
    expect(byColumn.top_mpid).toMatchObject({ numeric: false, changed: 0, max_abs_diff: null });
    expect(byColumn.hhi!.changed).toBe(rows.priced);
    expect(byColumn.hhi!.max_abs_diff).toBeCloseTo(rows.max * 9999, 6);
    expect(byColumn.hhi!.mean_abs_diff).toBeCloseTo(rows.mean * 9999, 6);
    expect(byColumn.hhi!.top).toHaveLength(3);
    expect(byColumn.hhi!.top[0]).toMatchObject({ week_ending: week, a: '1.000000', b: '10000.00', abs_diff: 9999 });
  });

  it('promoting v2 changes what the contract view returns; promoting v1 back restores it byte for byte', async () => {
    const before = await contractBytes();
    const promoted = await promoteCalcVersion(pool, DOMAIN, NAME, 2);
    const captures = (await pool.query(`SELECT count(*)::int AS n FROM core_captures`)).rows[0].n;
    expect(promoted).toEqual({ calc_name: NAME, from_version: 1, to_version: 2, captures });
    const spy = (await pool.query(`SELECT hhi::text, calc_version FROM otc_symbol_concentration_latest
        WHERE week_ending = '2025-12-05' AND tier = 'NMS_TIER_1' AND symbol = 'SPY'`)).rows;
    expect(spy).toEqual([{ hhi: '7450.000000', calc_version: 2 }]);
    expect(await contractBytes()).not.toEqual(before);
    expect((await pool.query(`SELECT calc_version FROM core_calc_dependencies WHERE domain = 'otc' AND calc_name = $1`, [NAME])).rows[0].calc_version).toBe(2);
    // v1 stays side by side: it can be compared and run against, and promoted back.
    expect((await pool.query(`SELECT count(*)::int AS n FROM otc_symbol_concentration_v1`)).rows[0].n).toBe(before.length / 2);
    await expect(runCalcVersion(pool, { calcName: NAME, major: 2, weeks: WEEKS })).rejects.toThrow(/v2 is current/);

    const demoted = await promoteCalcVersion(pool, DOMAIN, NAME, 1);
    expect(demoted).toEqual({ calc_name: NAME, from_version: 2, to_version: 1, captures });
    expect(await contractBytes()).toEqual(before);
    await expect(promoteCalcVersion(pool, DOMAIN, NAME, 1)).rejects.toThrow(/v1 is current already/);
    await expect(promoteCalcVersion(pool, DOMAIN, NAME, 7)).rejects.toThrow(/has no version 7/);
  });

  it('runs the promoted version in the pipeline: a forced re-run while v2 is current serves and checks v2', async () => {
    await promoteCalcVersion(pool, DOMAIN, NAME, 2);
    const week = goldenWeeks().find((w) => w.tier === 'OTC')!;
    await loadGolden(pool, [week], true);
    const { rows } = await pool.query(`SELECT DISTINCT g.calc_version, k.status FROM core_calc_lineage g JOIN core_captures c USING (capture_key)
        JOIN core_calc_row_checks k ON k.capture_key = g.capture_key AND k.calc_name = g.calc_name AND k.calc_version = g.calc_version
       WHERE g.calc_name = $1 AND c.period_end = $2 AND c.key_1 = 'OTC'`, [NAME, week.weekEnding]);
    expect(rows).toEqual([{ calc_version: 2, status: 'PASS' }]);
    await promoteCalcVersion(pool, DOMAIN, NAME, 1);
  });
});
