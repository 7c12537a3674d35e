import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpineChild } from '@spine/cli/spawn-spine';
import { testPool } from '../support/database.ts';
import { TestCluster } from '../support/cluster.ts';
import { spawnDashboard } from '../support/dashboard-process.ts';
import { duckRows, loadRevisedResearchData, REVISED_WEEK } from './support.ts';

const VIEWER = { user: 'viewer', password: 'viewer-password-1' };
const pool = testPool();
const cluster = new TestCluster();
const scratch = mkdtempSync(join(tmpdir(), 'spine-downloads-'));
let dashboard: SpineChild;
let baseUrl = '';
let firstCapture: string;
let revisedCapture: string;

beforeAll(async () => {
  await cluster.start({ DASHBOARD_ADMIN_PASSWORD: 'admin-password-1', DASHBOARD_VIEWER_PASSWORD: VIEWER.password });
  ({ firstCapture, revisedCapture } = await loadRevisedResearchData(pool));
  ({ child: dashboard, url: baseUrl } = await spawnDashboard(cluster.env));
});
afterAll(async () => {
  await dashboard?.stop();
  await cluster.stop();
  await pool.end();
  rmSync(scratch, { recursive: true, force: true });
});

function get(path: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${VIEWER.user}:${VIEWER.password}`).toString('base64')}` } });
}

/** The body of a download, saved as a file DuckDB can read. */
async function saved(res: Response, name: string): Promise<string> {
  const file = join(scratch, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

describe('the research pages\' downloads', () => {
  it('downloads a symbol\'s summaries as Parquet that DuckDB reads back equal to PostgreSQL, the revised week from its revision', async () => {
    const res = await get('/research/symbols/aapl/download?tier=NMS_TIER_1&table=symbol_summary&format=parquet');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="AAPL_symbol_summary_NMS_TIER_1.parquet"');
    const file = await saved(res, 'aapl.parquet');
    const rows = await duckRows(`SELECT week_ending, tier, venue_type, symbol, total_volume::double AS total_volume, venue_count, hhi, capture_id, revision
      FROM read_parquet('${file}') ORDER BY week_ending`);
    const { rows: expected } = await pool.query(
      `SELECT to_char(c.period_end, 'YYYY-MM-DD') AS week_ending, c.key_1 AS tier, c.key_2 AS venue_type, s.symbol, s.total_volume::float8 AS total_volume, s.venue_count,
              s.hhi::float8 AS hhi, c.capture_id, c.revision
         FROM otc_week_symbols s JOIN core_captures c ON c.capture_key = s.capture_key
        WHERE s.symbol = 'AAPL' AND c.key_1 = 'NMS_TIER_1' AND c.capture_id <> $1 ORDER BY c.period_end`,
      [firstCapture],
    );
    expect(rows).toEqual(expected);
    expect(rows.find((r) => r.week_ending === REVISED_WEEK)).toMatchObject({ capture_id: revisedCapture, revision: 2 });
  });

  it('downloads the lines of a symbol as CSV as of a date before the revision: the first revision\'s figures', async () => {
    const asOf = await (await get(`/research/symbols/AAPL/download?tier=T1&table=venue_volume&format=csv&from=${REVISED_WEEK}&to=${REVISED_WEEK}&as_of_published=2025-12-28`)).text();
    const latest = await (await get(`/research/symbols/AAPL/download?tier=T1&table=venue_volume&format=csv&from=${REVISED_WEEK}&to=${REVISED_WEEK}`)).text();
    const ubsa = async (csv: string, name: string) => duckRows(`SELECT mpid, total_volume::double AS total_volume, capture_id FROM read_csv('${await saved(new Response(csv), name)}')
      WHERE mpid = 'UBSA'`);
    expect(await ubsa(asOf, 'as-of.csv')).toEqual([{ mpid: 'UBSA', total_volume: 1_250_000, capture_id: firstCapture }]);
    expect(await ubsa(latest, 'latest.csv')).toEqual([{ mpid: 'UBSA', total_volume: 1_400_000, capture_id: revisedCapture }]);
    expect(asOf.split('\r\n')[0]).toMatch(/^week_ending,tier,venue_type,symbol,mpid,/);
  });

  it('downloads a week\'s venue table for a tier, both venue types, as CSV equal to otc_venue_share', async () => {
    const res = await get('/research/weeks/2025-12-05/OTC/download?table=venue_share&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const file = await saved(res, 'otc-week.csv');
    const rows = await duckRows(`SELECT venue_type, mpid, total_volume::double AS total_volume, market_share_pct, volume_rank FROM read_csv('${file}')
      ORDER BY venue_type, volume_rank, mpid`);
    const { rows: expected } = await pool.query(
      `SELECT c.key_2 AS venue_type, v.mpid, v.total_volume::float8 AS total_volume, v.market_share_pct::float8 AS market_share_pct, v.volume_rank
         FROM otc_venue_share v JOIN core_captures c ON c.capture_id = v.capture_id
        WHERE c.key_1 = 'OTC' AND c.period_end = '2025-12-05' ORDER BY c.key_2, v.volume_rank, v.mpid COLLATE "C"`,
    );
    expect(rows).toEqual(expected);
    expect(new Set(rows.map((r) => r.venue_type))).toEqual(new Set(['ATS', 'NON_ATS']));
  });

  it('refuses a bad question with 400 and one line, before sending anything, and anyone not signed in', async () => {
    const cases: [string, RegExp][] = [
      ['/research/symbols/AAPL/download?table=venue_share&format=csv', /^table: venue_share has no symbol column/],
      ['/research/symbols/AAPL/download?table=symbol_summary&format=xlsx', /^format: use parquet or csv/],
      ['/research/weeks/2025-12-04/OTC/download?table=venue_share&format=csv', /^week_ending: 2025-12-04 is a Thursday/],
      ['/research/weeks/2025-12-05/NOPE/download?table=venue_share&format=csv', /^tier: unknown tier "NOPE"/],
      ['/research/symbols/AAPL/download?table=symbol_summary&format=csv&as_of_published=2025-12-01&as_of_captured=2025-12-01T00:00:00Z', /^as_of_captured: give as_of_published or as_of_captured/],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: string }).error, path).toMatch(message);
    }
    const anonymous = await fetch(`${baseUrl}/research/symbols/AAPL/download?table=symbol_summary&format=csv`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
  });
});
