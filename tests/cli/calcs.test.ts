import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl, testPool, resetData } from '../support/database.ts';
import { goldenWeeks, loadGolden } from '../support/golden.ts';
import { runSpine, type SpineRun } from '../support/spine-cli.ts';

const pool = testPool();
const NAME = 'otc_symbol_concentration';
const WEEKS = [...new Set(goldenWeeks().map((w) => w.weekEnding))];

function spine(args: string[]): Promise<SpineRun> {
  return runSpine(args, { DATABASE_URL: testDatabaseUrl() });
}

/** What writes leave behind: batches, version lineage, synced specs (a refused command must leave them as they were). */
async function written(): Promise<{ batches: number; side: number; current: number; synced: string }> {
  const { rows: [r] } = await pool.query(`SELECT (SELECT count(*)::int FROM core_batches) AS batches,
      (SELECT max(synced_at)::text FROM core_calc_versions) AS synced,
      (SELECT count(*)::int FROM core_calc_version_lineage) AS side,
      (SELECT calc_version FROM core_calc_dependencies WHERE domain = 'otc' AND calc_name = $1) AS current`, [NAME]);
  return r;
}

beforeAll(async () => {
  await resetData(pool);
  await loadGolden(pool);
});
afterAll(async () => {
  await pool.query(`UPDATE core_calc_dependencies SET calc_version = 1 WHERE domain = 'otc' AND calc_name = $1`, [NAME]);
  await resetData(pool);
  await pool.end();
});

describe('spine calcs', () => {
  it('syncs, lists every calculation and shows one with its versions and the captures it ran on', async () => {
    const sync = await spine(['calcs', 'sync', '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ versions: 13, removed: 0 });
    expect(JSON.parse((await spine(['calcs', 'sync', '--json'])).stdout)).toEqual({ versions: 13, changed: 0, removed: 0 });

    const list = await spine(['calcs', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/otc_symbol_concentration\s*│\s*aggregate\s*│\s*v1\.0\s*│\s*v1\.0 v2\.0/);
    const listed = JSON.parse((await spine(['calcs', 'list', '--json'])).stdout) as { calc_name: string }[];
    expect(listed.map((c) => c.calc_name)).toContain('otc_research_snapshot');

    const show = await spine(['calcs', 'show', NAME, '--limit', '3']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('v2.0, breaking, replaces v1.0');
    expect(show.stdout).toContain('expected rows: 1 per symbol-week');
    expect(show.stdout).toContain('dependants: otc_research_snapshot');
    expect(show.stdout).toMatch(/PASS \d+\/\d+/);
  });

  it('refuses bad input with one line and exit 2, writing nothing', async () => {
    const before = await written();
    const cases: [string[], RegExp][] = [
      [['calcs', 'run', NAME, '--version', 'two', '--weeks', WEEKS[0]!], /^error: --version: a major version such as 2 or v2\n$/],
      [['calcs', 'run', NAME, '--version', '2', '--weeks', '2025-11-08'], /^error: --weeks: 2025-11-08 is a Saturday; week_ending must be a Friday\n$/],
      [['calcs', 'run', NAME, '--version', '2', '--weeks', WEEKS[0]!, '--tier', 'NMS_TIER_9'], /^error: --tier: unknown tier "NMS_TIER_9": use one of NMS_TIER_1, NMS_TIER_2, OTC\n$/],
      [['calcs', 'run', NAME, '--version', '1', '--weeks', WEEKS[0]!], /^error: otc_symbol_concentration v1 is current: the pipeline computes it/],
      [['calcs', 'run', NAME, '--version', '2', '--weeks', '2020-01-03'], /^error: otc_symbol_concentration has not run on any capture of 2020-01-03/],
      [['calcs', 'promote', NAME, '2'], /^error: otc_symbol_concentration v2 has not run on \d+ capture\(s\)/],
      [['calcs', 'promote', 'Bad-Name', '2'], /^error: NAME: a calculation name/],
      [['calcs', 'show', 'otc_nothing'], /^error: no calculation otc_nothing/],
      [['calcs', 'list', '--dataset', 'nasdaq'], /^error: unknown dataset "nasdaq": use one of otc, regsho\n$/],
      [['calcs', 'compare', NAME, '--versions', '1,1'], /^error: --versions: compare two different versions\n$/],
      [['calcs', 'compare', NAME, '--versions', '1,3'], /^error: otc_symbol_concentration has no version 3/],
    ];
    for (const [args, message] of cases) {
      const result = await spine(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(await written()).toEqual(before);
  });

  it('runs a version on the partitions the key options name only', async () => {
    const run = await spine(['calcs', 'run', NAME, '--version', '2', '--weeks', WEEKS[0]!, '--tier', 'otc', '--venue-type', 'ATS', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { captures } = JSON.parse(run.stdout) as { captures: { tier: string; venue_type: string; week_ending: string }[] };
    const { rows: [loaded] } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM core_captures WHERE domain = 'otc' AND period_end = $1 AND key_1 = 'OTC' AND key_2 = 'ATS'`, [WEEKS[0]]);
    expect(captures.length).toBe(loaded!.n);
    expect(captures.length).toBeGreaterThan(0);
    expect(captures.every((c) => c.tier === 'OTC' && c.venue_type === 'ATS' && c.week_ending === WEEKS[0])).toBe(true);
  });

  it('runs v2 beside v1, compares them as text and JSON, promotes v2 and back', async () => {
    const run = await spine(['calcs', 'run', NAME, '--version', '2', '--weeks', `${WEEKS[0]}..${WEEKS.at(-1)}`]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/PASS \d+\/\d+ \(1 per symbol-week\)/);
    expect(run.stderr).toMatch(/otc_symbol_concentration v2 ran on \d+ capture\(s\) beside the current version; batch manual-/);

    const compare = await spine(['calcs', 'compare', NAME, '--versions', '1,2', '--week', '2025-12-05', '--top', '2']);
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stdout).toMatch(/otc_symbol_concentration v1 vs v2: \d+ rows in \d+ capture\(s\) both ran on, weeks 2025-12-05/);
    expect(compare.stdout).toMatch(/hhi\s*│\s*\d+\s*│\s*9999\s*│/);
    expect(compare.stdout).toContain('hhi: the rows that differ most');
    const json = JSON.parse((await spine(['calcs', 'compare', NAME, '--versions', '1,2', '--json'])).stdout) as { columns: { column: string; changed: number }[] };
    expect(json.columns.find((c) => c.column === 'venue_count')!.changed).toBe(0);
    expect(json.columns.find((c) => c.column === 'hhi')!.changed).toBeGreaterThan(0);

    const before = (await pool.query(`SELECT t::text AS row FROM otc_symbol_concentration t ORDER BY capture_id, symbol`)).rows;
    const promote = await spine(['calcs', 'promote', NAME, 'v2', '--json']);
    expect(promote.code, promote.stderr).toBe(0);
    expect(JSON.parse(promote.stdout)).toMatchObject({ calc_name: NAME, from_version: 1, to_version: 2 });
    expect((await pool.query(`SELECT DISTINCT calc_version FROM otc_symbol_concentration`)).rows).toEqual([{ calc_version: 2 }]);
    const demote = await spine(['calcs', 'promote', NAME, '1']);
    expect(demote.code, demote.stderr).toBe(0);
    expect(demote.stdout).toMatch(/otc_symbol_concentration: v1 is current \(was v2\); \d+ capture\(s\) now served by it/);
    expect((await pool.query(`SELECT t::text AS row FROM otc_symbol_concentration t ORDER BY capture_id, symbol`)).rows).toEqual(before);
  });
});
