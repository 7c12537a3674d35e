import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { InputError, type Pool } from '@spine/platform';
import { promoteCalcVersion } from '@spine/platform/calcs/calc-versions';
import { syncDatasetCalculations } from '@spine/platform/calcs/dataset-calculations';
import { DOMAIN } from '@spine/otc/calcs/calc';
import { runCalcVersion } from '@spine/otc/stages/calc-version-run';
import { otcCalculations } from '@spine/otc/stages/otc-dataset-calculations';
import { createApiToken } from '@spine/research';
import type { Answer } from '@spine/otc/research/provenance';
import { symbolHistoryQuery, weekSnapshotQuery } from '@spine/otc/research/request-schemas';
import type { SymbolWeek } from '@spine/otc/research/response-schemas';
import { symbolHistory } from '@spine/otc/research/symbol-history';
import { weekSnapshot } from '@spine/otc/research/week-snapshot';
import { ConflictError } from '@spine/platform/research/errors';
import { testDatabaseUrl, testPool, resetData } from '../support/database.ts';
import { startTestDashboard, VIEWER } from '../support/dashboard.ts';
import { goldenWeeks } from '../support/golden.ts';
import { runSpine } from '../support/spine-cli.ts';
import { loadResearchData } from './support.ts';

const pool: Pool = testPool();
const NAME = 'otc_symbol_concentration';
const WEEKS = [...new Set(goldenWeeks().map((w) => w.weekEnding))].sort();
const LAST = WEEKS.at(-1)!;
const env = () => ({ DATABASE_URL: testDatabaseUrl() });
let dashboard: DashboardHandle;
let token: string;
let v1: Answer<SymbolWeek>;

const history = (query: Record<string, unknown> = {}) => symbolHistory(pool, 'AAPL', symbolHistoryQuery.parse({ tier: 'NMS_TIER_1', ...query }));
const snapshot = (query: Record<string, unknown> = {}) => weekSnapshot(pool, LAST, weekSnapshotQuery.parse({ tier: 'OTC', page_size: 1000, ...query }));
const api = (path: string) => fetch(`${dashboard.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
/** The HHI chart's left axis and its ATS series on the symbol page. */
async function hhiChart(): Promise<{ max: number; ats: (number | null)[] }> {
  const page = await (await fetch(`${dashboard.url}/research/symbols/AAPL?tier=NMS_TIER_1`, {
    headers: { authorization: `Basic ${Buffer.from(`${VIEWER.user}:${VIEWER.password}`).toString('base64')}` },
  })).text();
  const json = /<figure class="chart" id="chart-concentration"[\s\S]*?<script type="application\/json" class="chart-spec">([\s\S]*?)<\/script>/.exec(page)![1]!;
  const spec = JSON.parse(json) as { left: { max: number }; series: { label: string; data: (number | null)[] }[] };
  return { max: spec.left.max, ats: spec.series.find((s) => s.label === 'HHI, ATS venues')!.data };
}
const concentration = (answer: Answer<unknown>) => answer.provenance.calculations.filter((c) => c.calc_name === NAME).map((c) => c.calc_version);
/** v1's 0..1 HHI in v2's scale: percent points, 2 places (v2 is v1 x 10,000 to the digit). */
const scaled = (rows: SymbolWeek[]) => rows.map((r) => ({ ...r, hhi: r.hhi === null ? null : Number((r.hhi * 10_000).toFixed(2)) }));

beforeAll(async () => {
  await resetData(pool);
  await loadResearchData(pool);
  await syncDatasetCalculations(pool, DOMAIN, otcCalculations);
  v1 = await history();
  dashboard = await startTestDashboard();
  token = (await createApiToken(pool, 'hhi-version-test')).token;
});
afterAll(async () => {
  await dashboard?.close();
  // The graph outlives this file: leave v1 current whatever happened above.
  await pool.query(`UPDATE core_calc_dependencies SET calc_version = 1 WHERE domain = $1 AND calc_name = $2`, [DOMAIN, NAME]);
  await resetData(pool);
  await pool.end();
});

describe('hhi_version: the research answers read a chosen version of the HHI', () => {
  it('serves, by default, the version the contract view serves: v1, 0..1', async () => {
    const { rows } = await pool.query<{ capture_id: string; hhi: number | null }>(
      `SELECT capture_id, hhi::float8 AS hhi FROM otc_symbol_concentration WHERE symbol = 'AAPL' AND tier = 'NMS_TIER_1'`);
    expect(v1.data).toHaveLength(WEEKS.length);
    expect(v1.data.map((r) => r.hhi)).toEqual(v1.data.map((r) => rows.find((c) => c.capture_id === r.capture_id)!.hhi));
    expect(v1.data.every((r) => r.hhi !== null && r.hhi > 0 && r.hhi <= 1)).toBe(true);
    expect(concentration(v1)).toEqual([1]);
    expect(await history({ hhi_version: 1 })).toMatchObject({ data: v1.data, provenance: v1.provenance });
  });

  it('refuses a version the registry does not declare: 400 from the API, exit 2 from the CLI', async () => {
    const refused = await api('/symbols/AAPL/history?tier=T1&hhi_version=3');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: `hhi_version: ${NAME} has no version 3: use 1 or 2` });
    const cli = await runSpine(['query', 'week', LAST, '--tier', 'OTC', '--hhi-version', 'two'], env());
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe('error: --hhi-version: a major version of the HHI: an integer such as 2\n');
  });

  it('says how many captures a version has not run on, and what to run, instead of answering NULLs', async () => {
    await runCalcVersion(pool, { calcName: NAME, major: 2, weeks: WEEKS.slice(0, -1) });
    const message = `${NAME} v2 has not run on 1 of the ${WEEKS.length} captures this answer needs (weeks ${LAST}): ` +
      `run spine calcs run ${NAME} --version 2 --weeks ${LAST}`;
    await expect(history({ hhi_version: 2 })).rejects.toThrow(new ConflictError(message));
    const conflict = await api('/symbols/AAPL/history?tier=T1&hhi_version=2');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error: message });
    // The week's snapshot needs both venue types' captures of the week.
    const cli = await runSpine(['query', 'week', LAST, '--tier', 'OTC', '--hhi-version', '2'], env());
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(`error: ${NAME} v2 has not run on 2 of the 2 captures this answer needs (weeks ${LAST}): ` +
      `run spine calcs run ${NAME} --version 2 --weeks ${LAST}\n`);
    // The weeks it ran on answer.
    const earlier = await history({ hhi_version: 2, to: WEEKS.at(-2) });
    expect(earlier.data).toEqual(scaled(v1.data.slice(0, -1)));
  });

  it('reads v2 beside the current v1: v1 x 10,000, provenance naming @2; the default answer is unchanged', async () => {
    await runCalcVersion(pool, { calcName: NAME, major: 2, weeks: [LAST] });
    const v2 = await history({ hhi_version: 2 });
    expect(v2.data).toEqual(scaled(v1.data));
    expect(v2.data.some((r) => r.hhi! > 1)).toBe(true);
    expect(concentration(v2)).toEqual([2]);
    expect(v2.provenance.captures).toEqual(v1.provenance.captures);
    expect(v2.state).not.toBe(v1.state);
    expect(await history()).toEqual(v1);

    const week = await snapshot();
    const week2 = await snapshot({ hhi_version: 2 });
    expect(week2.data).toEqual(scaled(week.data));
    expect(week2.data.map((r) => r.venue_type)).toEqual(expect.arrayContaining(['ATS', 'NON_ATS']));
    expect([concentration(week), concentration(week2)]).toEqual([[1], [2]]);

    const cli = await runSpine(['query', 'symbol', 'AAPL', '--tier', 'T1', '--hhi-version', '2', '--json'], env());
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ data: v2.data, provenance: v2.provenance });
  });

  it('binds hhi_version into page tokens', async () => {
    const first = await weekSnapshot(pool, LAST, weekSnapshotQuery.parse({ tier: 'OTC', page_size: 2, hhi_version: 2 }));
    expect(first.next_page_token).not.toBeNull();
    await expect(weekSnapshot(pool, LAST, weekSnapshotQuery.parse({ tier: 'OTC', page_size: 2, page_token: first.next_page_token })))
      .rejects.toThrow(new InputError('page_token: the token belongs to a question with other parameters'));
    const second = await weekSnapshot(pool, LAST, weekSnapshotQuery.parse({ tier: 'OTC', page_size: 2, hhi_version: 2, page_token: first.next_page_token }));
    expect([...first.data, ...second.data]).toEqual((await snapshot({ hhi_version: 2 })).data.slice(0, 4));
  });

  it('changes the ETag of an answer that read v2 when v2 runs again on its captures, not that of the default answer', async () => {
    const tagOf = async (path: string) => (await api(path)).headers.get('etag');
    const picked = '/symbols/AAPL/history?tier=T1&hhi_version=2';
    const current = '/symbols/AAPL/history?tier=T1';
    const [pickedBefore, currentBefore] = [await tagOf(picked), await tagOf(current)];
    expect(pickedBefore).not.toBe(currentBefore);
    expect(await tagOf(picked)).toBe(pickedBefore);
    await runCalcVersion(pool, { calcName: NAME, major: 2, weeks: [LAST] });
    expect(await tagOf(picked)).not.toBe(pickedBefore);
    expect(await tagOf(current)).toBe(currentBefore);
  });

  it('follows a promotion: v2 current makes the default v2, v1 is still read with hhi_version=1, and demoting restores the answer', async () => {
    const v2 = await history({ hhi_version: 2 });
    expect((await hhiChart()).max).toBe(1);
    await promoteCalcVersion(pool, DOMAIN, NAME, 2);
    const promoted = await history();
    const chart = await hhiChart();
    expect(chart.max).toBe(10_000);
    expect(chart.ats.filter((v) => v !== null)).toEqual(v2.data.filter((r) => r.venue_type === 'ATS').map((r) => r.hhi));
    expect(promoted.data).toEqual(v2.data);
    expect(promoted.provenance.calculations).toEqual(v2.provenance.calculations);
    expect(concentration(promoted)).toEqual([2]);
    expect(promoted.state).not.toBe(v1.state);
    const old = await history({ hhi_version: 1 });
    expect(old.data).toEqual(v1.data);
    expect(concentration(old)).toEqual([1]);
    expect((await snapshot()).data).toEqual(scaled((await snapshot({ hhi_version: 1 })).data));

    await promoteCalcVersion(pool, DOMAIN, NAME, 1);
    expect(await history()).toEqual(v1);
  });
});
