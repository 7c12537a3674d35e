import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { writeWeekFile } from '../support/week-files.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(() => resetData(pool));

const W = '2025-12-12';
const row = (symbol: string, mpid: string, shares: string, trades: string, tier = 'NMS Tier 1', updated = '2025-12-29') =>
  `${tier}|${symbol}|Issue ${symbol}, Inc. $1|Venue ${mpid}|${mpid}|${shares}|${trades}|${updated}`;

// Line numbers: the header is line 1.
const LINES = [
  row('AAPL', 'NITE', '1000', '10'), // 2 accepted
  row('AAPL', 'VIRT', '3000', '20'), // 3 accepted
  'NMS Tier 1|BROKEN|line', // 4 PARSE_ERROR
  row('MSFT', 'NITE', '500', '5', 'OTC'), // 5 INVALID_TIER
  row('MSFT', 'NITE', '500', '5', 'NMS Tier 1', '2025-12-01'), // 6 WEEK_MISMATCH
  row('$$$', 'NITE', '500', '5'), // 7 INVALID_SYMBOL
  row('MSFT', 'N!', '500', '5'), // 8 INVALID_MPID
  row('MSFT', 'NITE', '-500', '5'), // 9 NEGATIVE_VOLUME
  row('MSFT', 'NITE', '500', '-5'), // 10 NEGATIVE_TRADES
  row(' aapl ', 'nite', '7', '1'), // 11 DUPLICATE_KEY of line 2 (after normalization)
  row('BRK.A', 'UBSA', '3000000000', '3'), // 12 accepted, above 2^31
  row('ZERO', 'UBSA', '0', '0'), // 13 accepted, zero volume
];

describe('ingest accounting, reject codes and the quality gate', () => {
  it('accounts for every line with the right reject code and line number', async () => {
    const result = await runWeek(pool, { tier: 'T1', weekEnding: W, file: writeWeekFile(LINES), maxRejectShare: 0.9 });
    expect(result.status).toBe('completed');
    const rejects = (await pool.query('SELECT line_number, reason_code FROM core_rejects ORDER BY line_number')).rows;
    expect(rejects).toEqual([
      { line_number: 4, reason_code: 'PARSE_ERROR' },
      { line_number: 5, reason_code: 'INVALID_TIER' },
      { line_number: 6, reason_code: 'WEEK_MISMATCH' },
      { line_number: 7, reason_code: 'INVALID_SYMBOL' },
      { line_number: 8, reason_code: 'INVALID_MPID' },
      { line_number: 9, reason_code: 'NEGATIVE_VOLUME' },
      { line_number: 10, reason_code: 'NEGATIVE_TRADES' },
      { line_number: 11, reason_code: 'DUPLICATE_KEY' },
    ]);
    const raw = (await pool.query('SELECT line_number, symbol, mpid, total_weekly_share_quantity AS shares FROM otc_raw ORDER BY line_number')).rows;
    expect(raw).toEqual([
      { line_number: 2, symbol: 'AAPL', mpid: 'NITE', shares: '1000' },
      { line_number: 3, symbol: 'AAPL', mpid: 'VIRT', shares: '3000' },
      { line_number: 12, symbol: 'BRK.A', mpid: 'UBSA', shares: '3000000000' },
      { line_number: 13, symbol: 'ZERO', mpid: 'UBSA', shares: '0' },
    ]);
    expect(raw.length + rejects.length).toBe(LINES.length);
    const dup = (await pool.query(`SELECT reason_detail, raw_line FROM core_rejects WHERE reason_code = 'DUPLICATE_KEY'`)).rows[0];
    expect(dup.reason_detail).toBe('duplicate of line 2 for AAPL x NITE');
    const parse = (await pool.query(`SELECT raw_line FROM core_rejects WHERE reason_code = 'PARSE_ERROR'`)).rows[0];
    expect(parse.raw_line).toBe('NMS Tier 1|BROKEN|line');
    const quality = (await pool.query(`SELECT check_name, status FROM core_quality WHERE check_name = 'line_accounting'`)).rows;
    expect(quality).toEqual([{ check_name: 'line_accounting', status: 'PASS' }]);
    const zero = (await pool.query(`SELECT avg_trade_size, hhi, top_venue_share_pct FROM otc_research_snapshot WHERE symbol = 'ZERO'`)).rows[0];
    expect(zero).toEqual({ avg_trade_size: '0.00', hhi: null, top_venue_share_pct: null });
  });

  it('rejects a line of megabytes as PARSE_ERROR, cut in core_rejects, and reads the lines after it', async () => {
    const long = row('LONG', 'NITE', '1', '1', 'NMS Tier 1', 'x'.repeat(16 * 1024 * 1024));
    const result = await runWeek(pool, { tier: 'NMS_TIER_1', weekEnding: W, file: writeWeekFile([LINES[0]!, long, LINES[1]!]), maxRejectShare: 0.9 });
    expect(result.status).toBe('completed');
    const rejects = (await pool.query('SELECT line_number, reason_code, reason_detail, raw_line FROM core_rejects')).rows;
    expect(rejects).toEqual([{ line_number: 3, reason_code: 'PARSE_ERROR', reason_detail: `line is ${long.length} characters, more than the 1024 allowed`,
      raw_line: `${long.slice(0, 1024)}... (${long.length} characters, cut at 1024)` }]);
    expect((await pool.query('SELECT line_number FROM otc_raw ORDER BY line_number')).rows).toEqual([{ line_number: 2 }, { line_number: 4 }]);
  });

  it('stops a week whose reject share passes the gate, with a QUALITY_GATE anomaly and nothing published', async () => {
    const result = await runWeek(pool, { tier: 'NMS_TIER_1', weekEnding: W, file: writeWeekFile(LINES), maxRejectShare: 0.05 });
    expect(result.status).toBe('gated');
    expect(result.stages.map((s) => `${s.stage}:${s.status}`)).toEqual(['ingest:gated']);
    const anomaly = (await pool.query(`SELECT category, severity, message FROM core_anomalies`)).rows;
    expect(anomaly).toHaveLength(1);
    expect(anomaly[0]).toMatchObject({ category: 'QUALITY_GATE', severity: 'ERROR' });
    expect(anomaly[0].message).toContain('8 of 12 lines rejected');
    expect(await count(pool, 'SELECT 1 FROM otc_venue_volume')).toBe(0);
    expect(await count(pool, 'SELECT 1 FROM otc_symbol_summary')).toBe(0);
    const readiness = (await pool.query(`SELECT status FROM core_data_readiness`)).rows;
    expect(readiness).toEqual([{ status: 'gated' }]);
    const manifest = (await pool.query(`SELECT stage, status FROM core_manifest`)).rows;
    expect(manifest).toEqual([{ stage: 'ingest', status: 'gated' }]);
  });
});
