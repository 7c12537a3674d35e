import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { DOMAIN } from '@spine/otc/calcs/calc';
import { syncDatasetCalculations } from '@spine/platform/calcs/dataset-calculations';
import { otcCalculations } from '@spine/otc/stages/otc-dataset-calculations';
import { runCalcVersion } from '@spine/otc/stages/calc-version-run';
import { VIEWER, basicPage, startTestDashboard } from '../support/dashboard.ts';
import { resetData, testPool } from '../support/database.ts';
import { goldenWeeks, loadGolden } from '../support/golden.ts';

const pool = testPool();
let dashboard: DashboardHandle;
const WEEK = goldenWeeks().find((w) => w.tier === 'OTC' && w.weekEnding === '2025-12-05')!;

beforeAll(async () => {
  await resetData(pool);
  await loadGolden(pool, [WEEK]);
  await syncDatasetCalculations(pool, DOMAIN, otcCalculations);
  await runCalcVersion(pool, { calcName: 'otc_symbol_concentration', major: 2, weeks: [WEEK.weekEnding] });
  dashboard = await startTestDashboard({ QUEUE_PREFIX: `test-${inject('testRunId')}-calculations` });
});
afterAll(async () => {
  await dashboard?.close();
  await resetData(pool);
  await pool.end();
});

const page = (path: string) => basicPage(`${dashboard.url}${path}`, VIEWER);

describe('the calculations pages', () => {
  it('lists every calculation with its versions, inputs, output, dependants, the captures it ran on and its row checks', async () => {
    const { status, body } = await page('/calculations');
    expect(status).toBe(200);
    // Every registered dataset's calculations, OTC's among them.
    const graph = (await pool.query(`SELECT count(*)::int AS n FROM core_calc_dependencies`)).rows[0].n;
    expect(body.match(/<tr data-calc="/g)).toHaveLength(graph);
    const row = body.slice(body.indexOf('<tr data-calc="otc_symbol_concentration">')).split('</tr>')[0]!;
    expect(row).toContain('v1.0 (current)</span>');
    expect(row).toContain('title="side by side">v2.0</span>');
    expect(row).toContain('otc_venue_volume, otc_symbol_summary</td><td>otc_symbol_concentration</td>');
    expect(row).toContain('<a href="/calculations/otc_research_snapshot">otc_research_snapshot</a>');
    expect(row).toMatch(/<td class="num">1<\/td><td>2025-12-05<\/td><td>1 per symbol-week<\/td>\s*<td class="num">0<\/td>/);
  });

  it("shows one calculation's versions and the captures each version ran on, with its row check", async () => {
    const { status, body } = await page('/calculations/otc_symbol_concentration');
    expect(status).toBe(200);
    expect(body).toContain('<h2>v2.0 (side by side)</h2>');
    expect(body).toContain('yes, replaces v1.0');
    expect(body).toContain('otc_symbol_concentration (this version: otc_symbol_concentration_v2)');
    const runs = body.slice(body.indexOf('<table id="runs">'));
    expect(runs.match(/<td>2025-12-05<\/td><td>OTC<\/td><td>ATS<\/td><td>v\d<\/td>/g)).toEqual([
      '<td>2025-12-05</td><td>OTC</td><td>ATS</td><td>v1</td>', '<td>2025-12-05</td><td>OTC</td><td>ATS</td><td>v2</td>']);
    expect(runs.match(/<td class="PASS">PASS (\d+) of \1<\/td>/g)).toHaveLength(2);
  });

  it('answers 404 for an unknown calculation, 400 for a malformed name, and nothing without sign-in', async () => {
    expect((await page('/calculations/otc_nothing')).status).toBe(404);
    expect((await page('/calculations/Not%20A%20Name')).status).toBe(400);
    const anonymous = await fetch(`${dashboard.url}/calculations`, { redirect: 'manual' });
    expect([302, 303, 401]).toContain(anonymous.status);
  });
});
