import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { applyRetention, runWeek } from '@spine/otc';
import { testDatabaseUrl, testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE, goldenWeeks, loadGolden } from '../support/golden.ts';
import { runSpine } from '../support/spine-cli.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(async () => {
  await resetData(pool);
  await loadGolden(pool, goldenWeeks().filter((w) => w.tier === 'NMS_TIER_1'));
});

const rowsOf = async (table: string) => count(pool, `SELECT 1 FROM ${table}`);
const weeksOf = async (table: string) =>
  (await pool.query(`SELECT DISTINCT to_char(week_ending, 'YYYY-MM-DD') AS w FROM ${table} ORDER BY 1`)).rows.map((r) => r.w);

describe('spine retention (seed policy: raw 2 years, normalized 5, derived kept)', () => {
  it('retires raw weeks after 2 years and keeps their lines while the normalized rows need them', async () => {
    const lines = await rowsOf('otc_week_lines');
    const dry = await applyRetention(pool, { dryRun: true, asOf: '2027-12-03' }); // cutoff 2025-12-03
    expect(dry.tables.find((t) => t.table === 'otc_raw')).toMatchObject({ keep: '2 years', captures: 5 });
    expect(await weeksOf('otc_raw')).toHaveLength(6); // a dry run changes nothing

    const result = await applyRetention(pool, { dryRun: false, asOf: '2027-12-03' });
    expect(result.tables).toEqual(dry.tables.map((t) => ({ ...t })));
    expect(await weeksOf('otc_raw')).toEqual(['2025-12-05']);
    expect(await weeksOf('otc_venue_volume')).toHaveLength(6);
    expect(result.freed.otc_week_lines).toBe(0);
    expect(await rowsOf('otc_week_lines')).toBe(lines);
    expect(result.freed.otc_week_venues).toBe(0);
  });

  it('frees the lines once normalized weeks are 5 years old, and keeps every derived table', async () => {
    const derived = ['otc_symbol_summary', 'otc_venue_share', 'otc_symbol_concentration', 'otc_liquidity_score', 'otc_symbol_rolling_6w', 'otc_research_snapshot'];
    const before = Object.fromEntries(await Promise.all(derived.map(async (t) => [t, await rowsOf(t)])));
    const lastWeekLines = await count(pool, `SELECT 1 FROM otc_venue_volume WHERE week_ending = '2025-12-05'`);
    const venueTotals = await rowsOf('otc_week_venues');
    const lastWeekVenueTotals = await count(pool, `SELECT 1 FROM otc_week_venues v JOIN core_captures c USING (capture_key) WHERE c.period_end = '2025-12-05'`);
    const result = await applyRetention(pool, { dryRun: false, asOf: '2030-12-03' });
    expect(result.tables.find((t) => t.table === 'otc_venue_volume')).toMatchObject({ captures: 5 });
    expect(await weeksOf('otc_venue_volume')).toEqual(['2025-12-05']);
    expect(await rowsOf('otc_week_lines')).toBe(lastWeekLines);
    expect(result.freed.otc_week_lines).toBeGreaterThan(0);
    // The lines' totals per venue go with them.
    expect(lastWeekVenueTotals).toBeGreaterThan(0);
    expect(await rowsOf('otc_week_venues')).toBe(lastWeekVenueTotals);
    expect(result.freed.otc_week_venues).toBe(venueTotals - lastWeekVenueTotals);
    for (const t of derived) expect(await rowsOf(t), t).toBe(before[t]);
  });

  it('retires the stored tables by policy too: venue shares, and ATS share pairs with their symbols', async () => {
    for (const venueType of ['ATS', 'NON_ATS'] as const) {
      const file = venueType === 'ATS' ? join(GOLDEN_DIR, 'OTC', '2025-12-05.psv') : join(GOLDEN_DIR, 'OTC', 'NON_ATS', '2025-12-05.psv');
      await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', venueType, file, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    }
    const shares = await rowsOf('otc_symbol_ats_share');
    expect(shares).toBeGreaterThan(0);
    await pool.query(`UPDATE core_retention_policies SET keep = '1 year' WHERE table_name IN ('otc_venue_share', 'otc_symbol_ats_share')`);
    try {
      const result = await applyRetention(pool, { dryRun: false, asOf: '2026-12-10' }); // cutoff 2025-12-10: every golden week
      expect(result.tables.find((t) => t.table === 'otc_symbol_ats_share')).toMatchObject({ captures: 1, rows: shares });
      expect(await rowsOf('otc_symbol_ats_share')).toBe(0);
      expect(await rowsOf('otc_ats_share_symbols')).toBe(0);
      expect(await rowsOf('otc_venue_share')).toBe(0);
      expect(await rowsOf('otc_symbol_summary')).toBeGreaterThan(0);
    } finally {
      await pool.query(`UPDATE core_retention_policies SET keep = NULL WHERE table_name IN ('otc_venue_share', 'otc_symbol_ats_share')`);
    }
  });

  it("keeps a retired week's symbol rows while a later week's rolling window reads them", async () => {
    const figures = `SELECT to_char(week_ending, 'YYYY-MM-DD') AS week_ending, symbol, weeks_in_window, mean_volume, min_volume, max_volume,
      mean_trades, min_trades, max_trades, trend_pct, trend_direction FROM otc_symbol_rolling_6w WHERE week_ending >= '2025-11-10' ORDER BY 1, 2`;
    const before = (await pool.query(figures)).rows;
    expect(before.some((r) => r.weeks_in_window === 6)).toBe(true);
    const retired = ['otc_symbol_summary', 'otc_symbol_concentration', 'otc_liquidity_score', 'otc_research_snapshot', 'otc_symbol_rolling_6w'];
    await pool.query(`UPDATE core_retention_policies SET keep = '1 year' WHERE table_name = ANY($1)`, [retired]);
    try {
      const result = await applyRetention(pool, { dryRun: false, asOf: '2026-11-10' }); // cutoff 2025-11-10: 10-31 and 11-07
      expect(await weeksOf('otc_symbol_summary')).toEqual(['2025-11-14', '2025-11-21', '2025-11-28', '2025-12-05']);
      expect(await weeksOf('otc_symbol_rolling_6w')).toEqual(['2025-11-14', '2025-11-21', '2025-11-28', '2025-12-05']);
      expect(result.freed.otc_rolling_windows).toBe(2); // the windows of 10-31 and 11-07
      expect(result.freed.otc_week_symbols).toBe(0);
      expect((await pool.query(figures)).rows).toEqual(before);

      const later = await applyRetention(pool, { dryRun: false, asOf: '2027-01-01' }); // every golden week
      expect(await rowsOf('otc_symbol_rolling_6w')).toBe(0);
      expect(later.freed.otc_week_symbols).toBeGreaterThan(0);
      expect(await rowsOf('otc_week_symbols')).toBe(0);
      expect(await rowsOf('otc_rolling_windows')).toBe(0);
    } finally {
      await pool.query(`UPDATE core_retention_policies SET keep = NULL WHERE table_name = ANY($1)`, [retired]);
    }
  });

  it('refuses a policy for a table it does not know, changing nothing', async () => {
    await pool.query(`INSERT INTO core_retention_policies (domain, table_name, keep) VALUES ('otc', 'otc_mystery', '1 day')`);
    try {
      await expect(applyRetention(pool, { dryRun: false, asOf: '2030-12-03' })).rejects.toThrow(/otc_mystery/);
      expect(await weeksOf('otc_raw')).toHaveLength(6);
    } finally {
      await pool.query(`DELETE FROM core_retention_policies WHERE table_name = 'otc_mystery'`);
    }
  });

  it('runs as a command: the policy table, what it would retire today, and JSON', async () => {
    const env = { DATABASE_URL: testDatabaseUrl() };
    const text = await runSpine(['retention', '--dry-run'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/otc_raw\s+│\s*2 years/);
    expect(text.stdout).toMatch(/otc_research_snapshot\s+│\s*forever/);
    const json = await runSpine(['retention', '--dry-run', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ dry_run: true, tables: expect.arrayContaining([expect.objectContaining({ table: 'otc_venue_volume', keep: '5 years' })]) });
    expect(await weeksOf('otc_raw')).toHaveLength(6);
  });
});
