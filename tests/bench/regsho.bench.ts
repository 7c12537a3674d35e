/**
 * bench:regsho — Reg SHO's readers' views at size: BENCH_DAYS trading days (60) ending BENCH_LAST_DAY (2025-12-05) x
 * facilities N, Q, B, D, of BENCH_SYMBOLS symbols (10,000; each facility sees about 4 in 5 a day), generated as
 * FINRA writes the daily files and loaded in-process with runPartition (what `spine run-week` runs) into a database of
 * its own. Prints the load rate, then p50 and p95 over BENCH_SAMPLES (50) questions of each kind: a symbol's daily
 * ratios, a symbol's 20-day rolling short ratio, a trade date's rolling ratios for every symbol, a week's roll-up,
 * and the research join of a week; then the research API's Reg SHO answers. The views are computed when read (nothing
 * is stored but the lines).
 *
 * BENCH_DATABASE_URL measures on a database loaded before (BENCH_KEEP_DATABASE=1 keeps this run's): nothing is loaded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, createPool, loadTradingCalendar, runPartition, weekEndingOnOrBefore } from '@spine/platform';
import { dailyFileName, regshoDataset } from '@spine/regsho';
import { GENERATED_MARKETS, writeDailyFiles } from '@spine/regsho-synthetic';
import { benchDatabase } from './bench-database.ts';
import { printQuestionTimes } from './question-times.ts';

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 10_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 60);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50);
const LAST_DAY = process.env.BENCH_LAST_DAY ?? '2025-12-05';

const reused = process.env.BENCH_DATABASE_URL;
const keep = process.env.BENCH_KEEP_DATABASE === '1';
const db = reused ? { url: reused, drop: async () => {} } : await benchDatabase('regsho');
const pool = createPool(db.url, 4);
const dir = await mkdtemp(join(tmpdir(), 'spine-bench-regsho-'));
try {
  const calendar = await loadTradingCalendar(pool, 'XNYS');
  const days = calendar.tradingDays(addDays(LAST_DAY, -Math.ceil(DAYS * 1.6) - 7), LAST_DAY).slice(-DAYS);
  if (!reused) {
    const started = performance.now();
    const { records } = await writeDailyFiles({ dir, days, symbols: SYMBOLS, seed: 21 });
    const written = performance.now();
    for (const day of days) {
      for (const market of GENERATED_MARKETS) {
        await runPartition(pool, regshoDataset, { key1: market, periodEnd: day, file: join(dir, 'regsho', dailyFileName(market, day)), maxRejectShare: 0.01 });
      }
    }
    const seconds = (performance.now() - written) / 1000;
    console.log(`bench:regsho — ${days.length} trading days ${days[0]}..${days.at(-1)} x ${GENERATED_MARKETS.length} facilities, ${SYMBOLS.toLocaleString('en-US')} symbols: ` +
      `${records.toLocaleString('en-US')} lines written in ${((written - started) / 1000).toFixed(1)} s, loaded in ${seconds.toFixed(1)} s ` +
      `(${Math.round(records / seconds).toLocaleString('en-US')} lines/s, ${(seconds / (days.length * GENERATED_MARKETS.length)).toFixed(2)} s a partition)`);
  } else {
    console.log(`bench:regsho — on BENCH_DATABASE_URL, ${days.length} trading days to ${LAST_DAY}`);
  }
  const { rows: [size] } = await pool.query<{ lines: string; bytes: string }>(
    `SELECT (SELECT count(*) FROM regsho_daily_lines) AS lines, pg_total_relation_size('regsho_daily_lines') AS bytes`);
  console.log(`  regsho_daily_lines: ${Number(size!.lines).toLocaleString('en-US')} rows, ${(Number(size!.bytes) / 2 ** 20).toFixed(1)} MB ` +
    `(${(Number(size!.bytes) / Number(size!.lines) * 1e6 / 2 ** 20).toFixed(1)} MB per million lines)`);

  const { rows: symbols } = await pool.query<{ symbol: string }>(
    `SELECT symbol FROM regsho_daily_volume WHERE trade_date = $1 GROUP BY symbol ORDER BY symbol LIMIT $2`, [LAST_DAY, SAMPLES]);
  // A trading day's week ends on its Friday (OTC's week_ending), whether or not the Friday traded.
  const weeks = [...new Set(days.map((d) => weekEndingOnOrBefore(addDays(d, 4))))];
  const pick = <T>(items: readonly T[], i: number) => items[i % items.length]!;
  const count = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rowCount;
  const endpoints = (await regshoDataset.research?.())?.endpoints ?? [];
  const api = async (operationId: string, path: Record<string, unknown>, query: Record<string, unknown>) => {
    const endpoint = endpoints.find((e) => e.operationId === operationId)!;
    return (await endpoint.run(pool, path, endpoint.query.parse(query))).data.length;
  };
  const questions: Record<string, (i: number) => Promise<unknown>> = {
    "a symbol's daily short ratios (regsho_symbol_daily_latest)": (i) =>
      count('SELECT * FROM regsho_symbol_daily_latest WHERE symbol = $1', [pick(symbols, i).symbol]),
    "a symbol's 20-day rolling short ratio (regsho_symbol_rolling_20d_latest)": (i) =>
      count('SELECT * FROM regsho_symbol_rolling_20d_latest WHERE symbol = $1', [pick(symbols, i).symbol]),
    "a trade date's rolling ratios, every symbol": (i) =>
      count('SELECT * FROM regsho_symbol_rolling_20d_latest WHERE trade_date = $1', [pick(days, days.length - 1 - (i % 5))]),
    "a week's roll-up, every symbol (regsho_symbol_week_latest)": (i) =>
      count('SELECT * FROM regsho_symbol_week_latest WHERE week_ending = $1', [pick(weeks, i)]),
    "a week of the research join (research_symbol_week_latest)": (i) =>
      count('SELECT * FROM research_symbol_week_latest WHERE week_ending = $1', [pick(weeks, i)]),
    // The research API's answers (libs/regsho/src/research), provenance included, as /api/v1 runs them.
    "API: a symbol's days, the 60 newest (/datasets/regsho/symbols/{symbol}/daily)": (i) =>
      api('regshoSymbolDaily', { symbol: pick(symbols, i).symbol }, {}),
    // Every capture here was published (captured) today: the same rows, through the as-of selection.
    "API: the same with as_of_published (today)": (i) =>
      api('regshoSymbolDaily', { symbol: pick(symbols, i).symbol }, { as_of_published: new Date().toISOString().slice(0, 10) }),
    "API: a page of 100 of a week's research rows (/datasets/regsho/weeks/{week_ending}/research)": (i) =>
      api('regshoWeekResearch', { week_ending: pick(weeks, i) }, {}),
  };
  await printQuestionTimes(questions, SAMPLES, 1);
} finally {
  await pool.end();
  await rm(dir, { recursive: true, force: true });
  if (!keep) await db.drop();
  else if (!reused) console.log(`  database kept: ${db.url}`);
}
