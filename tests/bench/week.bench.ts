/**
 * bench:week [--shape nms|otc]: a 200,000-row synthetic week (BENCH_ROWS), loaded twice into an empty database: a
 * bare COPY of the file into an unlogged table (the floor any loader pays), and the full in-process stage chain.
 * Prints both times, their ratio, and the peak RSS of `spine run-week` on the same week. Then the floor of the chain's own row-level write: the otc_week_lines
 * rows it stored, written again into an unlogged table without any index (no parse, no checks, no WAL), and as
 * the schema stores them.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type pg from 'pg';
import { createPool } from '@spine/platform';
import { runWeek } from '@spine/otc';
import { writeWeekFile } from '@spine/otc/synthetic/week-generator';
import { SPINE_BIN } from '../support/spine-cli.ts';
import { benchDatabase } from './bench-database.ts';
import { benchShape, SHAPES } from './bench-shape.ts';

const SHAPE = benchShape();
const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const TIER = SHAPES[SHAPE];
const TARGET_RATIO = SHAPE === 'nms' ? 6 : 8;
const WEEK = '2025-12-05';

const db = await benchDatabase('week');
const dir = await mkdtemp(join(tmpdir(), 'spine-bench-'));
const pool = createPool(db.url, 4);
try {
  const file = join(dir, 'week.psv');
  const generated = await writeWeekFile(file, { tier: TIER, weekEnding: WEEK, rows: ROWS, seed: 20251205, rejectRate: 0 });
  const bytes = (await stat(file)).size;

  await pool.query(`CREATE UNLOGGED TABLE bench_bare_copy (tier_description text, symbol text, issue_name text, participant text,
    mpid text, shares text, trades text, last_update text)`);
  const copyTimes = await bestOf3('bench_bare_copy', (client) =>
    pipeline(createReadStream(file), client.query(copyFrom(`COPY bench_bare_copy FROM STDIN (FORMAT text, DELIMITER '|', HEADER true)`))));
  const copyMs = Math.min(...copyTimes);

  const started = performance.now();
  const result = await runWeek(pool, { tier: TIER, weekEnding: WEEK, file, maxRejectShare: 0.05 });
  const chainMs = performance.now() - started;
  // This process also generated the file; the chain's own memory is that of `spine run-week` on the same week.
  const cliPeakMb = await runWeekPeakRssMb(db.url, file);

  const row = (k: string, v: string) => console.log(`${k.padEnd(26)} ${v}`);
  console.log(`bench:week --shape ${SHAPE} — ${ROWS.toLocaleString('en-US')} rows, ${generated.stats.symbols.toLocaleString('en-US')} symbols ` +
    `(${(ROWS / generated.stats.symbols).toFixed(2)} venues a symbol), ${(bytes / 1e6).toFixed(1)} MB, ${TIER} ${WEEK}`);
  row('bare COPY (best of 3)', `${copyMs.toFixed(0)} ms  (${copyTimes.map((t) => t.toFixed(0)).join(', ')})`);
  row('full stage chain', `${chainMs.toFixed(0)} ms  (${result.status})`);
  for (const s of result.stages) {
    row(`  ${s.stage}`, `${s.durationMs} ms, ${s.rowCount} rows`);
    for (const [calc, m] of Object.entries(s.metrics)) {
      if (typeof m === "object" && m !== null && "ms" in m) row(`    ${calc}`, `${(m as { ms: number }).ms} ms`);
    }
  }
  row('chain / COPY', `${(chainMs / copyMs).toFixed(2)}  (target <= ${TARGET_RATIO})`);
  row('rows/s through the chain', `${Math.round(ROWS / (chainMs / 1000)).toLocaleString('en-US')}`);
  row('peak RSS, spine run-week', `${cliPeakMb.toFixed(0)} MB  (--force on the same week; the same within 10% at 200,000 and 2,000,000 rows: BENCH_ROWS)`);

  const lineRows = join(dir, 'otc_week_lines.tsv');
  const exporter = await pool.connect();
  await pipeline(exporter.query(copyTo('COPY otc_week_lines TO STDOUT')), createWriteStream(lineRows));
  exporter.release();
  console.log(`floor of the chain's own row-level write (best of 3; ratios to the bare COPY):`);
  const load = (client: pg.PoolClient) => pipeline(createReadStream(lineRows), client.query(copyFrom('COPY bench_floor FROM STDIN')));
  for (const [shape, ddl] of [['unlogged, no index', 'UNLOGGED TABLE bench_floor (LIKE otc_week_lines)'],
    ['logged, as stored', 'TABLE bench_floor (LIKE otc_week_lines INCLUDING ALL)']] as const) {
    await pool.query(`CREATE ${ddl}`);
    const ms = Math.min(...(await bestOf3('bench_floor', load)));
    await pool.query('DROP TABLE bench_floor');
    row(`  otc_week_lines COPY`, `${ms.toFixed(0)} ms, ${shape}  (${(ms / copyMs).toFixed(2)})`);
  }
} finally {
  await pool.end();
  await rm(dir, { recursive: true, force: true });
  await db.drop();
}

/**
 * The peak resident set (VmHWM) of `spine run-week --force` on the week, read from /proc while it runs: the chain as
 * a user runs it, in a process of its own.
 */
async function runWeekPeakRssMb(databaseUrl: string, weekFile: string): Promise<number> {
  const child = spawn(process.execPath, [SPINE_BIN, 'run-week', '--tier', TIER, '--week', WEEK, '--file', weekFile, '--force', '--max-reject-share', '0.05'],
    { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  let peakKb = 0;
  const sample = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  };
  const timer = setInterval(() => void sample(), 20);
  const [code] = await once(child, 'exit');
  clearInterval(timer);
  if (code !== 0) throw new Error(`spine run-week exited with ${code}`);
  return peakKb / 1024;
}

/** Runs `load` three times into an emptied `table` on one connection; returns each run's milliseconds. */
async function bestOf3(table: string, load: (client: pg.PoolClient) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  const client = await pool.connect();
  try {
    await client.query('SET synchronous_commit = off');
    for (let i = 0; i < 3; i++) {
      await client.query(`TRUNCATE ${table}`);
      const started = performance.now();
      await load(client);
      times.push(performance.now() - started);
    }
    await client.query('RESET synchronous_commit');
  } finally {
    client.release();
  }
  return times;
}
