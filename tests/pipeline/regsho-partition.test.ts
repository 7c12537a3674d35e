import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPartition, type RunFileRequest } from '@spine/platform';
import { dailyFileName, regshoDataset, type MarketCode } from '@spine/regsho';
import { GENERATED_MARKETS, writeDailyFiles } from '@spine/regsho-synthetic';
import { resetData, testPool } from '../support/database.ts';

/**
 * Reg SHO partitions end to end through the platform's runPartition (what `spine run-week` runs), from generated
 * daily files of a week with an unscheduled closure (2025-01-09): every line of every file is in
 * regsho_daily_volume, and each symbol's day and week figures are the files' sums, computed here in hundredths with
 * BigInt (the files carry quarter fractions).
 */
const pool = testPool();
const dir = mkdtempSync(join(tmpdir(), 'regsho-partition-'));
const DAYS = ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10'];
const SYMBOLS = 30;

const run = (marketCode: string, day: string, file: string, extra: Partial<RunFileRequest> = {}) =>
  runPartition(pool, regshoDataset, { key1: marketCode, periodEnd: day, file, maxRejectShare: 0.5, ...extra });
const hundredths = (text: string) => {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
};

interface Totals { short: bigint; exempt: bigint; total: bigint; lines: number }
/** Per trade date and symbol, the files' volumes summed over facilities. */
function fileTotals(files: string[]): Map<string, Totals> {
  const totals = new Map<string, Totals>();
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1, -1);
    for (const line of lines) {
      const [date, symbol, short, exempt, total] = line.split('|') as [string, string, string, string, string];
      const key = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}|${symbol}`;
      const t = totals.get(key) ?? { short: 0n, exempt: 0n, total: 0n, lines: 0 };
      totals.set(key, { short: t.short + hundredths(short), exempt: t.exempt + hundredths(exempt), total: t.total + hundredths(total), lines: t.lines + 1 });
    }
  }
  return totals;
}

let files: string[];
beforeAll(async () => {
  await resetData(pool);
  ({ files } = await writeDailyFiles({ dir, days: DAYS, symbols: SYMBOLS, seed: 7 }));
});
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('Reg SHO partitions through runPartition', () => {
  it('loads every facility of every day, and each symbol\'s day and week equal the files', async () => {
    for (const day of DAYS) {
      for (const market of GENERATED_MARKETS) {
        const result = await run(market, day, join(dir, 'regsho', dailyFileName(market, day)));
        expect(result).toMatchObject({ status: 'completed', key1: market, key2: '-', periodEnd: day, revision: 1 });
        expect(result.captureId).toMatch(new RegExp(`^regsho-${market}-${day}-[0-9a-f]{12}$`));
      }
    }
    const expected = fileTotals(files);
    const lines = [...expected.values()].reduce((n, t) => n + t.lines, 0);
    const { rows: [counted] } = await pool.query<{ rows: number; rejects: number }>(
      `SELECT (SELECT count(*) FROM regsho_daily_volume_latest)::int AS rows, (SELECT count(*) FROM core_rejects WHERE domain = 'regsho')::int AS rejects`);
    expect(counted).toEqual({ rows: lines, rejects: 0 });
    // Each capture's own checks, all passing on FINRA-shaped files.
    const { rows: checks } = await pool.query<{ check_name: string; status: string; captures: number }>(
      `SELECT check_name, status, count(*)::int AS captures FROM core_quality WHERE domain = 'regsho' GROUP BY 1, 2 ORDER BY 1`);
    const captures = DAYS.length * GENERATED_MARKETS.length;
    expect(checks).toEqual(['line_accounting', 'records_present', 'reject_share'].map((check_name) => ({ check_name, status: 'PASS', captures })));

    const { rows: daily } = await pool.query<{ trade_date: string; symbol: string; short_volume: string; short_exempt_volume: string; total_volume: string; short_ratio: string; capture_ids: string[] }>(
      `SELECT to_char(trade_date, 'YYYY-MM-DD') AS trade_date, symbol, short_volume::text, short_exempt_volume::text, total_volume::text, short_ratio::text, capture_ids
         FROM regsho_symbol_daily_latest`);
    expect(daily).toHaveLength(expected.size);
    for (const row of daily) {
      const want = expected.get(`${row.trade_date}|${row.symbol}`)!;
      expect({ short: hundredths(row.short_volume), exempt: hundredths(row.short_exempt_volume), total: hundredths(row.total_volume) })
        .toEqual({ short: want.short, exempt: want.exempt, total: want.total });
      expect(row.capture_ids).toHaveLength(want.lines);
      expect(Number(row.short_ratio)).toBeCloseTo(Number(want.short) / Number(want.total), 6);
    }

    const { rows: weekly } = await pool.query<{ symbol: string; trading_days: number; total_volume: string }>(
      `SELECT symbol, trading_days, total_volume::text FROM regsho_symbol_week_latest WHERE week_ending = '2025-01-10'`);
    const byWeek = new Map<string, { days: Set<string>; total: bigint }>();
    for (const [key, t] of expected) {
      const [day, symbol] = key.split('|') as [string, string];
      const w = byWeek.get(symbol) ?? { days: new Set(), total: 0n };
      w.days.add(day);
      byWeek.set(symbol, { days: w.days, total: w.total + t.total });
    }
    expect(weekly).toHaveLength(byWeek.size);
    for (const row of weekly) {
      expect({ days: row.trading_days, total: hundredths(row.total_volume) }).toEqual({ days: byWeek.get(row.symbol)!.days.size, total: byWeek.get(row.symbol)!.total });
    }
  });

  it('runs a file again as the same capture, its stage skipped', async () => {
    const result = await run('Q', '2025-01-06', join(dir, 'regsho', dailyFileName('Q', '2025-01-06')));
    expect(result.revision).toBe(1);
    expect(result.stages.map((s) => s.status)).toEqual(['skipped']);
  });

  it('rejects bad lines into core_rejects, gates a file past the share without publishing it, and fails a file whose trailer disagrees', async () => {
    const market: MarketCode = 'D';
    const day = '2025-01-07';
    const original = readFileSync(join(dir, 'regsho', dailyFileName(market, day)), 'utf8').trim().split('\n');
    const records = original.slice(1, -1);
    const [date, symbol] = records[0]!.split('|');
    const badLine = `${date}|${symbol}|900|0|100|${market}`;
    const revised = join(dir, 'revised.txt');
    writeFileSync(revised, [original[0], badLine, ...records.slice(1), String(records.length)].join('\n') + '\n');

    const gated = await run(market, day, revised, { maxRejectShare: 0 });
    expect(gated).toMatchObject({ status: 'gated', revision: 2 });
    const { rows: rejects } = await pool.query(`SELECT reason_code, line_number, key_1 AS tier, key_2 AS venue_type FROM core_rejects WHERE capture_id = $1`, [gated.captureId]);
    expect(rejects).toEqual([{ reason_code: 'SHORT_EXCEEDS_TOTAL', line_number: 2, tier: 'D', venue_type: '-' }]);
    // One line in about twenty rejected: a WARN of its own, every line still accounted for.
    const { rows: verdicts } = await pool.query(`SELECT check_name, status, observed::float8 AS observed FROM core_quality WHERE capture_id = $1 ORDER BY check_name`, [gated.captureId]);
    expect(verdicts).toEqual([
      { check_name: 'line_accounting', status: 'PASS', observed: records.length },
      { check_name: 'records_present', status: 'PASS', observed: records.length },
      { check_name: 'reject_share', status: 'WARN', observed: 1 / records.length },
    ]);
    // The gated revision is not published: readers still see revision 1 of D on that day.
    const { rows: [latest] } = await pool.query(`SELECT revision, short_volume::text FROM regsho_daily_volume_latest WHERE trade_date = $1 AND market_code = $2 AND symbol = $3`, [day, market, symbol]);
    expect(latest).toEqual({ revision: 1, short_volume: records[0]!.split('|')[2] });

    const published = await run(market, day, revised, { maxRejectShare: 0.5, force: true });
    expect(published).toMatchObject({ status: 'completed', revision: 2 });
    const { rows: [now] } = await pool.query(`SELECT count(*)::int AS n FROM regsho_daily_volume_latest WHERE trade_date = $1 AND market_code = $2`, [day, market]);
    expect(now).toEqual({ n: records.length - 1 });

    const cut = join(dir, 'cut.txt');
    writeFileSync(cut, [original[0], ...records.slice(0, -1), String(records.length)].join('\n') + '\n');
    await expect(run(market, day, cut)).rejects.toThrow(/trailer counts \d+ records but the file holds \d+/);
    const { rows: [batch] } = await pool.query(`SELECT status, close_reason FROM core_batches WHERE domain = 'regsho' ORDER BY created_at DESC LIMIT 1`);
    expect(batch.status).toBe('failed');
  });

  it('refuses a request that is no partition of the dataset before writing anything', async () => {
    const file = join(dir, 'regsho', dailyFileName('B', '2025-01-06'));
    await expect(run('X', '2025-01-06', file)).rejects.toThrow(/unknown facility "X"/);
    await expect(run('B', '2025-01-11', file)).rejects.toThrow(/is a Saturday/);
    await expect(run('B', '2018-08-31', file)).rejects.toThrow(/before 2018-09-10/);
    await expect(run('Q', '2025-01-06', file, { key2: 'ATS' })).rejects.toThrow(/one key/);
  });

  it('counts the symbols of a facility\'s day missing from its next day', async () => {
    const capture = async (day: string) => (await pool.query<{ capture_id: string }>(
      `SELECT capture_id FROM core_captures WHERE domain = 'regsho' AND key_1 = 'N' AND period_end = $1`, [day])).rows[0]!.capture_id;
    const symbols = (day: string) => new Set(readFileSync(join(dir, 'regsho', dailyFileName('N', day)), 'utf8').trim().split('\n').slice(1, -1).map((l) => l.split('|')[1]));
    const before = symbols('2025-01-06');
    const after = symbols('2025-01-07');
    const missing = [...before].filter((s) => !after.has(s)).length;
    expect(missing).toBeGreaterThan(0);
    expect(await regshoDataset.symbolsMissing!(pool, await capture('2025-01-06'), await capture('2025-01-07'))).toBe(missing);
  });

  it('retires captures older than the policy keeps, counting them exactly on a dry run', async () => {
    const published = async () => (await pool.query<{ captures: number; lines: number }>(
      `SELECT (SELECT count(DISTINCT capture_id) FROM regsho_daily_volume)::int AS captures, (SELECT count(*) FROM regsho_daily_lines)::int AS lines`)).rows[0]!;
    const before = await published();
    // Kept 5 years: as of 2030-01-09 the trade dates before 2025-01-09 go, 2025-01-10 stays.
    const dryRun = await regshoDataset.applyRetention(pool, { dryRun: true, asOf: '2030-01-09' });
    expect(await published()).toEqual(before);
    const applied = await regshoDataset.applyRetention(pool, { dryRun: false, asOf: '2030-01-09' });
    expect(applied).toEqual({ ...dryRun, dry_run: false });
    const { rows: [kept] } = await pool.query<{ captures: number; lines: number }>(
      `SELECT count(DISTINCT capture_id)::int AS captures, count(*)::int AS lines FROM regsho_daily_volume WHERE trade_date = '2025-01-10'`);
    expect(await published()).toEqual(kept);
    expect(applied.tables).toEqual([{ table: 'regsho_daily_volume', keep: '5 years', captures: before.captures - kept!.captures, rows: expect.any(Number) }]);
    expect(applied.freed.regsho_daily_lines).toBe(before.lines - kept!.lines);
  });
});
