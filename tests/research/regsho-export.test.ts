import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPartition } from '@spine/platform';
import { dailyFileName, regshoDataset } from '@spine/regsho';
import type { ExportManifest } from '@spine/regsho/research/export';
import { GENERATED_MARKETS, writeDailyFiles } from '@spine/regsho-synthetic';
import { resetData, testDatabaseUrl, testPool } from '../support/database.ts';
import { runSpine } from '../support/spine-cli.ts';
import { republishDailyFile } from './regsho-support.ts';
import { duckRows, expectManifestFiles, exportOutDir } from './support.ts';

/**
 * `spine export --dataset regsho` (libs/regsho/src/research/export.ts): generated FINRA-format daily files of the week
 * ending 2025-01-10 (2025-01-09 was a closure) and the Monday after, every facility, loaded through runPartition, one
 * line given a volume of 21 significant digits (no float64 holds it); the files read back by DuckDB are compared with
 * the readers' views (migration 1100), decimals as text. Then Q's file of 2025-01-08 is republished (revision 2,
 * captured a week later) and exported as of before and after it.
 */
const pool = testPool();
const dir = mkdtempSync(join(tmpdir(), 'regsho-export-'));
const DAYS = ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10', '2025-01-13'];
const REVISED_DAY = '2025-01-08';
/** A volume of 15 + 6 digits, on the first line of N's file of 2025-01-06. */
const HUGE_TOTAL = '987654321098765.123456';
const HUGE_SHORT = '123456789012345.654321';
const env = () => ({ DATABASE_URL: testDatabaseUrl() });
const RANGE = ['--dataset', 'regsho', '--from', '2025-01-06', '--to', '2025-01-10'];

beforeAll(async () => {
  await resetData(pool);
  await writeDailyFiles({ dir, days: DAYS, symbols: 25, seed: 7 });
  const hugeFile = join(dir, 'regsho', dailyFileName('N', '2025-01-06'));
  const lines = readFileSync(hugeFile, 'utf8').split('\n');
  const [date, symbol, , , , market] = lines[1]!.split('|');
  lines[1] = [date, symbol, HUGE_SHORT, '0', HUGE_TOTAL, market].join('|');
  writeFileSync(hugeFile, lines.join('\n'));
  for (const day of DAYS) {
    for (const market of GENERATED_MARKETS) {
      const result = await runPartition(pool, regshoDataset, { key1: market, periodEnd: day, file: join(dir, 'regsho', dailyFileName(market, day)), maxRejectShare: 0 });
      expect(result.status).toBe('completed');
    }
  }
  await pool.query(`UPDATE core_captures SET captured_at = (period_end + time '19:00') AT TIME ZONE 'America/New_York' WHERE domain = 'regsho'`);
});
const scratch: string[] = [dir];
afterAll(async () => {
  for (const path of scratch) rmSync(path, { recursive: true, force: true });
  await pool.end();
});

/** A directory path that does not exist yet, under a temporary directory removed after the tests. */
const outDir = () => exportOutDir(scratch, 'regsho-export-out-');

/** Decimals as DECIMAL(38, 6)'s text, in PostgreSQL and DuckDB alike. */
const dec = (column: string) => `${column}::numeric(38, 6)::text AS ${column.replace(/^\w+\./, '')}`;
const duckDec = (column: string) => `${column}::decimal(38, 6)::varchar AS ${column}`;

async function daysOfView(from: string, to: string): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query(
    `SELECT to_char(trade_date, 'YYYY-MM-DD') AS trade_date, symbol, ${dec('short_volume')}, ${dec('short_exempt_volume')}, ${dec('total_volume')},
            ${dec('short_ratio')}, ${dec('short_exempt_share')}, array_to_string(market_codes, ',') AS market_codes, array_to_string(capture_ids, ',') AS capture_ids
       FROM regsho_symbol_daily_latest WHERE trade_date BETWEEN $1 AND $2 ORDER BY trade_date, symbol COLLATE "C"`, [from, to]);
  return rows;
}

const DAY_COLUMNS = `trade_date::varchar AS trade_date, symbol, ${['short_volume', 'short_exempt_volume', 'total_volume', 'short_ratio', 'short_exempt_share'].map(duckDec).join(', ')},
  market_codes, capture_ids`;

describe('spine export --dataset regsho', () => {
  it('writes Hive-partitioned Parquet of the lines, days and weeks that DuckDB reads back equal to the views, exact decimals, with a manifest whose counts and checksums match', async () => {
    const out = outDir();
    const run = await runSpine(['export', ...RANGE, '--tables', 'daily_volume,symbol_daily,symbol_week', '--format', 'parquet', '--out', out], env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    // Four trade dates x four facilities; four days; one week (2025-01-13's is outside the range).
    expect(manifest.files.filter((f) => f.table === 'daily_volume')).toHaveLength(16);
    expect(manifest.files.filter((f) => f.table === 'symbol_daily').map((f) => f.trade_date)).toEqual(['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10']);
    expect(manifest.files.filter((f) => f.table === 'symbol_week').map((f) => f.week_ending)).toEqual(['2025-01-10']);
    expect(run.stdout).toMatch(new RegExp(`^${manifest.rows} rows in 21 files from 16 captures written to ${out}`));

    const lines = await duckRows(`SELECT trade_date::varchar AS trade_date, market_code, symbol, ${duckDec('short_volume')}, ${duckDec('short_exempt_volume')},
        ${duckDec('total_volume')}, source_line_number, capture_id, revision, calc_version
      FROM read_parquet('${out}/daily_volume/**/*.parquet', hive_partitioning = true) ORDER BY trade_date, market_code, source_line_number`);
    const { rows: viewLines } = await pool.query(
      `SELECT to_char(trade_date, 'YYYY-MM-DD') AS trade_date, market_code, symbol, ${dec('short_volume')}, ${dec('short_exempt_volume')}, ${dec('total_volume')},
              source_line_number, capture_id, revision, calc_version
         FROM regsho_daily_volume_latest WHERE trade_date BETWEEN '2025-01-06' AND '2025-01-10' ORDER BY trade_date, market_code, source_line_number`);
    expect(viewLines.length).toBeGreaterThan(200);
    expect(lines).toEqual(viewLines);
    expect(lines.find((l) => l.total_volume === `${HUGE_TOTAL}`)).toMatchObject({ short_volume: HUGE_SHORT, market_code: 'N', trade_date: '2025-01-06' });

    const days = await duckRows(`SELECT ${DAY_COLUMNS} FROM read_parquet('${out}/symbol_daily/**/*.parquet', hive_partitioning = true) ORDER BY trade_date, symbol`);
    expect(days).toEqual(await daysOfView('2025-01-06', '2025-01-10'));

    const weeks = await duckRows(`SELECT week_ending::varchar AS week_ending, symbol, trading_days, ${duckDec('short_volume')}, ${duckDec('total_volume')}, ${duckDec('short_ratio')}, capture_ids
      FROM read_parquet('${out}/symbol_week/**/*.parquet', hive_partitioning = true) ORDER BY symbol`);
    const { rows: viewWeeks } = await pool.query(
      `SELECT to_char(week_ending, 'YYYY-MM-DD') AS week_ending, symbol, trading_days, ${dec('short_volume')}, ${dec('total_volume')}, ${dec('short_ratio')},
              array_to_string(capture_ids, ',') AS capture_ids
         FROM regsho_symbol_week_latest WHERE week_ending = '2025-01-10' ORDER BY symbol COLLATE "C"`);
    expect(weeks).toEqual(viewWeeks);

    await expectManifestFiles(out, manifest.files, { rows: true });
    expect(manifest.rows).toBe(manifest.files.reduce((sum, f) => sum + f.rows, 0));
    expect(manifest.provenance.captures.map((c) => c.capture_id).sort()).toEqual([...new Set(manifest.files.flatMap((f) => f.capture_ids))].sort());
    expect(manifest.provenance.calculations).toContainEqual({ calc_name: 'regsho_daily_volume', calc_version: 1 });
    const [metadata] = await duckRows(`SELECT decode(value) AS value FROM parquet_kv_metadata('${join(out, manifest.files[0]!.path)}') WHERE decode(key) = 'attribution'`);
    expect(metadata).toEqual({ value: manifest.provenance.attribution });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(manifest.provenance.attribution);
  });

  it('writes CSV with the decimals exactly as PostgreSQL holds them', async () => {
    const out = outDir();
    const run = await runSpine(['export', ...RANGE, '--tables', 'symbol_daily', '--format', 'csv', '--out', out, '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ out, files: 4, captures: 16 });
    const days = await duckRows(`SELECT * REPLACE (trade_date::varchar AS trade_date)
      FROM read_csv('${out}/symbol_daily/**/*.csv', hive_partitioning = true, all_varchar = true) ORDER BY trade_date, symbol`);
    const { rows: view } = await pool.query(
      `SELECT symbol, short_volume::text AS short_volume, short_exempt_volume::text AS short_exempt_volume, total_volume::text AS total_volume,
              short_ratio::text AS short_ratio, short_exempt_share::text AS short_exempt_share, array_to_string(market_codes, ',') AS market_codes,
              array_to_string(capture_ids, ',') AS capture_ids, to_char(trade_date, 'YYYY-MM-DD') AS trade_date
         FROM regsho_symbol_daily_latest WHERE trade_date BETWEEN '2025-01-06' AND '2025-01-10' ORDER BY trade_date, symbol COLLATE "C"`);
    // DuckDB reads an empty CSV field as NULL, as PostgreSQL wrote NULL.
    expect(days).toEqual(view);
    // The huge line's day: its 21 significant digits, plus the other facilities' volumes, all there.
    expect(days.filter((d) => /^98765432\d{7}\.\d{6}$/.test(String(d.total_volume)))).toHaveLength(1);
  });

  it('exports the weeks whose Friday is in the range, each whole: a range from a Wednesday holds its week\'s Monday and Tuesday too', async () => {
    const out = outDir();
    const run = await runSpine(['export', '--dataset', 'regsho', '--from', '2025-01-08', '--to', '2025-01-13', '--tables', 'symbol_week,symbol_daily', '--format', 'parquet', '--out', out], env());
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    // 2025-01-13's week ends on Friday 2025-01-17, after the range: not exported.
    expect(manifest.files.filter((f) => f.table === 'symbol_week').map((f) => f.week_ending)).toEqual(['2025-01-10']);
    expect(manifest.files.filter((f) => f.table === 'symbol_daily').map((f) => f.trade_date)).toEqual(['2025-01-08', '2025-01-10', '2025-01-13']);
    const weeks = await duckRows(`SELECT symbol, trading_days, ${duckDec('short_volume')} FROM read_parquet('${out}/symbol_week/**/*.parquet') ORDER BY symbol`);
    const { rows: view } = await pool.query(`SELECT symbol, trading_days, ${dec('short_volume')} FROM regsho_symbol_week_latest WHERE week_ending = '2025-01-10' ORDER BY symbol COLLATE "C"`);
    expect(weeks).toEqual(view);
    expect(Math.max(...weeks.map((w) => w.trading_days as number))).toBe(4);
    expect(manifest.provenance.captures.some((c) => c.trade_date === '2025-01-06')).toBe(true);
  });

  it('exports as of a date before a republished file, and some facilities only', async () => {
    const revised = await republishDailyFile(pool, dir, 'Q', REVISED_DAY, '2025-01-15T19:00:00-05:00');
    expect(revised.revision).toBe(2);
    const revisedCapture = revised.captureId;
    const { rows: [first] } = await pool.query<{ capture_id: string }>(
      `SELECT capture_id FROM core_captures WHERE domain = 'regsho' AND key_1 = 'Q' AND period_end = $1 AND revision = 1`, [REVISED_DAY]);

    const exportQ = async (...args: string[]) => {
      const out = outDir();
      const run = await runSpine(['export', ...RANGE, '--tables', 'daily_volume,symbol_daily', '--market-code', 'q', '--format', 'parquet', '--out', out, ...args], env());
      expect(run.code, run.stderr).toBe(0);
      return { out, manifest: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest };
    };
    const before = await exportQ('--as-of-published', '2025-01-14');
    expect(before.manifest.provenance.as_of).toEqual({ published: '2025-01-14', captured: null });
    expect(before.manifest.market_codes).toEqual(['Q']);
    expect(new Set(before.manifest.files.filter((f) => f.table === 'daily_volume').map((f) => f.market_code))).toEqual(new Set(['Q']));
    const served = (m: ExportManifest) => m.files.find((f) => f.table === 'daily_volume' && f.trade_date === REVISED_DAY)!.capture_ids;
    expect(served(before.manifest)).toEqual([first!.capture_id]);
    const beforeLines = await duckRows(`SELECT symbol, ${duckDec('short_volume')}, capture_id, revision FROM read_parquet('${before.out}/daily_volume/trade_date=${REVISED_DAY}/**/*.parquet')
      ORDER BY source_line_number`);
    const { rows: firstLines } = await pool.query(`SELECT symbol, ${dec('short_volume')}, capture_id, revision FROM regsho_daily_volume WHERE capture_id = $1 ORDER BY source_line_number`, [first!.capture_id]);
    expect(beforeLines).toEqual(firstLines);
    // Q's figures alone: symbol_daily of Q's captures only, as of then.
    const qDay = await duckRows(`SELECT symbol, ${duckDec('short_volume')}, market_codes FROM read_parquet('${before.out}/symbol_daily/trade_date=${REVISED_DAY}/*.parquet') ORDER BY symbol`);
    const { rows: qLines } = await pool.query(`SELECT symbol, ${dec('short_volume')}, 'Q' AS market_codes FROM regsho_daily_volume WHERE capture_id = $1 ORDER BY symbol COLLATE "C"`, [first!.capture_id]);
    expect(qDay).toEqual(qLines);

    const after = await exportQ();
    expect(served(after.manifest)).toEqual([revisedCapture]);
    expect(after.manifest.provenance.captures.find((c) => c.capture_id === revisedCapture)).toMatchObject({ revision: 2, published_on: '2025-01-15' });
    const byCaptured = await exportQ('--as-of-captured', '2025-01-15T00:00:00Z');
    expect(served(byCaptured.manifest)).toEqual([first!.capture_id]);
    expect(byCaptured.manifest.provenance.as_of).toEqual({ published: null, captured: '2025-01-15T00:00:00Z' });
  });

  it('exits 2 with one line on bad input and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--tables', 'venue_volume', '--format', 'parquet'], /^error: --tables: unknown table "venue_volume": use one or more of daily_volume, symbol_daily, symbol_week/],
      [['--tables', 'symbol_daily', '--format', 'xlsx'], /^error: --format: use parquet or csv/],
      [['--tables', 'symbol_daily', '--format', 'csv', '--tier', 'T1'], /^error: --tier is a key of otc, not of regsho \(its keys: --market-code\)/],
      [['--tables', 'symbol_daily', '--format', 'csv', '--market-code', 'Z'], /^error: --market-code: unknown market code in "Z"/],
      [['--tables', 'symbol_daily', '--format', 'csv', '--as-of-published', '2025-01-14', '--as-of-captured', '2025-01-15T00:00:00Z'], /^error: --as-of-captured: give as_of_published/],
    ];
    for (const [args, message] of cases) {
      const out = outDir();
      const run = await runSpine(['export', ...RANGE, ...args, '--out', out], env());
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
    const backwards = await runSpine(['export', '--dataset', 'regsho', '--from', '2025-01-10', '--to', '2025-01-06', '--tables', 'symbol_daily', '--format', 'csv', '--out', outDir()], env());
    expect({ code: backwards.code, stderr: backwards.stderr }).toEqual({ code: 2, stderr: 'error: --to: to 2025-01-06 is before from 2025-01-10\n' });
    const badDate = await runSpine(['export', '--dataset', 'regsho', '--from', '2025-13-01', '--to', '2025-01-06', '--tables', 'symbol_daily', '--format', 'csv', '--out', outDir()], env());
    expect({ code: badDate.code, stderr: badDate.stderr }).toEqual({ code: 2, stderr: 'error: --from: a date, YYYY-MM-DD\n' });
    const used = outDir();
    mkdirSync(used);
    writeFileSync(join(used, 'keep.txt'), 'mine');
    const occupied = await runSpine(['export', ...RANGE, '--tables', 'symbol_daily', '--format', 'csv', '--out', used], env());
    expect({ code: occupied.code, stderr: occupied.stderr }).toEqual({ code: 2, stderr: `error: --out: ${used} exists and is not an empty directory\n` });
    expect(readFileSync(join(used, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
