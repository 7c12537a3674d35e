import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(() => resetData(pool));

const WEEK = '2025-12-05';
const ATS_FILE = join(GOLDEN_DIR, 'OTC', `${WEEK}.psv`);
const NON_ATS_FILE = join(GOLDEN_DIR, 'OTC', 'NON_ATS', `${WEEK}.psv`);
const load = (venueType: 'ATS' | 'NON_ATS', file: string) => runWeek(pool, { tier: 'OTC', weekEnding: WEEK, venueType, file, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });

async function latest(table: string, columns: string, order: string): Promise<Record<string, unknown>[]> {
  return (await pool.query(`SELECT ${columns} FROM ${table}_latest ORDER BY ${order}`)).rows;
}

// Hand-computed from fixtures/golden/OTC/2025-12-05.psv (ATS: ACMEF 2,000,000, GRLT 40,000, NSRGY 600,000 shares after
// its one reject) and fixtures/golden/OTC/NON_ATS/2025-12-05.psv (below).
const NON_ATS_VENUES = [
  { symbol: 'ACMEF', mpid: 'CRD:287654', firm_crd_number: '287654', total_volume: '400000' },
  { symbol: 'ACMEF', mpid: 'DE_MINIMIS', firm_crd_number: null, total_volume: '100000' },
  { symbol: 'NSRGY', mpid: 'CDRG', firm_crd_number: '116797', total_volume: '900000' },
  { symbol: 'NSRGY', mpid: 'NITE', firm_crd_number: '149823', total_volume: '300000' },
  { symbol: 'ZZZQ', mpid: 'CDRG', firm_crd_number: '116797', total_volume: '5000' },
];
const NON_ATS_SUMMARY = [
  { symbol: 'ACMEF', total_volume: '500000', total_trades: '100', venue_count: 2, avg_trade_size: '5000.00' },
  { symbol: 'NSRGY', total_volume: '1200000', total_trades: '1500', venue_count: 2, avg_trade_size: '800.00' },
  { symbol: 'ZZZQ', total_volume: '5000', total_trades: '5', venue_count: 1, avg_trade_size: '1000.00' },
];
// Tier total 1,705,000: 905,000 / 1,705,000 = 53.0792 %, 400,000 -> 23.4604 %, 300,000 -> 17.5953 %, 100,000 -> 5.8651 %.
const NON_ATS_SHARES = [
  { mpid: 'CDRG', total_volume: '905000', symbol_count: 2, market_share_pct: '53.0792', volume_rank: 1 },
  { mpid: 'CRD:287654', total_volume: '400000', symbol_count: 1, market_share_pct: '23.4604', volume_rank: 2 },
  { mpid: 'NITE', total_volume: '300000', symbol_count: 1, market_share_pct: '17.5953', volume_rank: 3 },
  { mpid: 'DE_MINIMIS', total_volume: '100000', symbol_count: 1, market_share_pct: '5.8651', volume_rank: 4 },
];
// ATS / (ATS + non-ATS): ACMEF 2,000,000 / 2,500,000 = 80 %; NSRGY 600,000 / 1,800,000 = 33.3333 %; GRLT has no non-ATS
// volume and ZZZQ no ATS volume: NULL, with the side that exists.
const ATS_SHARE = [
  { symbol: 'ACMEF', ats_volume: '2000000', non_ats_volume: '500000', ats_share_pct: '80.0000' },
  { symbol: 'GRLT', ats_volume: '40000', non_ats_volume: null, ats_share_pct: null },
  { symbol: 'NSRGY', ats_volume: '600000', non_ats_volume: '1200000', ats_share_pct: '33.3333' },
  { symbol: 'ZZZQ', ats_volume: null, non_ats_volume: '5000', ats_share_pct: null },
];
const SNAPSHOT_SHARE = [
  { venue_type: 'ATS', symbol: 'ACMEF', ats_share_pct: '80.0000' },
  { venue_type: 'ATS', symbol: 'GRLT', ats_share_pct: null },
  { venue_type: 'ATS', symbol: 'NSRGY', ats_share_pct: '33.3333' },
  { venue_type: 'NON_ATS', symbol: 'ACMEF', ats_share_pct: '80.0000' },
  { venue_type: 'NON_ATS', symbol: 'NSRGY', ats_share_pct: '33.3333' },
  { venue_type: 'NON_ATS', symbol: 'ZZZQ', ats_share_pct: null },
];

describe('non-ATS weeks and the ATS share (golden)', () => {
  it('keys firms without an MPID by CRD number or as the unattributed aggregate, keeping every line', async () => {
    const result = await load('NON_ATS', NON_ATS_FILE);
    expect(result).toMatchObject({ status: 'completed', venueType: 'NON_ATS' });
    expect(await pool.query(`SELECT count(*)::int AS n FROM core_rejects`)).toMatchObject({ rows: [{ n: 0 }] });
    expect(await latest('otc_venue_volume', 'symbol, mpid, firm_crd_number::text, total_volume', 'symbol, mpid')).toEqual(NON_ATS_VENUES);
    expect(await latest('otc_symbol_summary', 'symbol, total_volume, total_trades, venue_count, avg_trade_size', 'symbol')).toEqual(NON_ATS_SUMMARY);
    expect(await latest('otc_venue_share', 'mpid, total_volume, symbol_count, market_share_pct, volume_rank', 'volume_rank')).toEqual(NON_ATS_SHARES);
    const venueTypes = await pool.query(`SELECT DISTINCT venue_type FROM otc_venue_volume UNION SELECT DISTINCT key_2 AS venue_type FROM core_captures`);
    expect(venueTypes.rows).toEqual([{ venue_type: 'NON_ATS' }]);
    // One venue type is not enough for a share.
    expect(await pool.query('SELECT count(*)::int AS n FROM otc_symbol_ats_share')).toMatchObject({ rows: [{ n: 0 }] });
  });

  it.each([['ATS first', ['ATS', 'NON_ATS']], ['non-ATS first', ['NON_ATS', 'ATS']]] as const)(
    'computes the ATS share once both venue types are aggregated, whichever lands last (%s), into both snapshots', async (_name, order) => {
      for (const venueType of order) await load(venueType, venueType === 'ATS' ? ATS_FILE : NON_ATS_FILE);
      expect(await latest('otc_symbol_ats_share', 'symbol, ats_volume, non_ats_volume, ats_share_pct', 'symbol')).toEqual(ATS_SHARE);
      expect(await latest('otc_research_snapshot', 'venue_type, symbol, ats_share_pct', 'venue_type, symbol')).toEqual(SNAPSHOT_SHARE);
      const lineage = (await pool.query(`SELECT DISTINCT calc_name, calc_version FROM otc_symbol_ats_share`)).rows;
      expect(lineage).toEqual([{ calc_name: 'otc_symbol_ats_share', calc_version: 1 }]);
    });

  it('recomputes the share when one side is revised, keeping the earlier pair as history', async () => {
    await load('ATS', ATS_FILE);
    await load('NON_ATS', NON_ATS_FILE);
    const dir = mkdtempSync(join(tmpdir(), 'spine-non-ats-'));
    try {
      // FINRA revises the non-ATS week: ACMEF's small firm reports 1,500,000 shares instead of 400,000.
      const revised = join(dir, 'revised.psv');
      writeFileSync(revised, readFileSync(NON_ATS_FILE, 'utf8').replace('||400000|80|', '||1500000|80|'));
      expect(await load('NON_ATS', revised)).toMatchObject({ revision: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // ACMEF: 2,000,000 / (2,000,000 + 1,600,000) = 55.5556 %.
    const acmef = await pool.query(`SELECT ats_share_pct FROM otc_symbol_ats_share_latest WHERE symbol = 'ACMEF'`);
    expect(acmef.rows).toEqual([{ ats_share_pct: '55.5556' }]);
    const history = await pool.query(`SELECT ats_share_pct FROM otc_symbol_ats_share WHERE symbol = 'ACMEF' ORDER BY captured_at`);
    expect(history.rows).toEqual([{ ats_share_pct: '80.0000' }, { ats_share_pct: '55.5556' }]);
    const snapshot = await pool.query(`SELECT venue_type, ats_share_pct FROM otc_research_snapshot_latest WHERE symbol = 'ACMEF' ORDER BY venue_type`);
    expect(snapshot.rows).toEqual([{ venue_type: 'ATS', ats_share_pct: '55.5556' }, { venue_type: 'NON_ATS', ats_share_pct: '55.5556' }]);
  });
});
