/**
 * bench:week-ab --before <checkout> [--shape nms|otc] [--order finra|venue|shuffled] [--runs N] [--instructions N]: `spine run-week` of
 * this checkout and of another (its CLI bundle built, e.g. a worktree of an earlier commit after `npm ci`) on the same
 * generated 200,000-row week (BENCH_ROWS), alternately, N times each (default 7), each on a fresh database migrated by
 * that checkout's own `spine db migrate` (so the two may differ in schema).
 * Prints, per checkout, the minimum and median of: the run from spawn to exit, the CLI process's CPU (user and system,
 * /usr/bin/time), the CPU of the PostgreSQL backends serving its database (read from /proc while it runs), and the
 * time outside runWeek (start and end). On a shared machine the CPU figures move less than the wall time, which
 * waits on everyone's load. With --instructions N, each CLI also runs N times under valgrind's callgrind, which counts
 * the instructions the CLI process executed (its threads included, PostgreSQL not): repeatable within about 1% whatever
 * else the machine does, so a change of a few percent shows where the times drown it (30 s a run).
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { SPINE_BIN } from '../support/spine-cli.ts';
import { benchDatabase } from './bench-database.ts';
import { benchArgs, SHAPES } from './bench-shape.ts';
import { ORDERS, reorderWeekFile, type Order } from './week-order.ts';

const execFileAsync = promisify(execFile);
const args = benchArgs({ before: { default: '' }, order: { default: 'finra', choices: ORDERS }, runs: { default: '7' }, instructions: { default: '0' } });
const RUNS = Number(args.runs);
const INSTRUCTION_RUNS = Number(args.instructions);
if (!args.before || !Number.isInteger(RUNS) || RUNS < 1 || !Number.isInteger(INSTRUCTION_RUNS) || INSTRUCTION_RUNS < 0) {
  console.error('bench:week-ab needs --before <checkout>, a whole --runs of 1 or more and a whole --instructions of 0 or more');
  process.exit(2);
}
if (INSTRUCTION_RUNS > 0) await execFileAsync('valgrind', ['--version']).catch(() => {
  console.error('bench:week-ab --instructions needs valgrind (apt-get install valgrind)');
  process.exit(2);
});
const TIER = SHAPES[args.shape];
const WEEK = '2025-12-05';
const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const SIDES = { before: join(resolve(args.before), 'libs/cli/bin/spine.mjs'), after: SPINE_BIN };
// /proc reports CPU in clock ticks of 10 ms (USER_HZ 100 on Linux).
const TICK_MS = 10;

interface Run {
  wallMs: number;
  cliCpuMs: number;
  pgCpuMs: number;
  outsideMs: number;
}

const dir = await mkdtemp(join(tmpdir(), 'spine-bench-ab-'));
const file = join(dir, 'week.psv');
const admin = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
try {
  await writeWeekFile(file, { tier: TIER, weekEnding: WEEK, rows: ROWS, seed: 20251205, rejectRate: 0 });
  await reorderWeekFile(file, args.order as Order);
  await admin.connect();
  console.log(`bench:week-ab --shape ${args.shape} --order ${args.order}: ${ROWS.toLocaleString('en-US')} rows, before ${args.before}, ${RUNS} runs each, node ${process.version}`);
  const runs: Record<keyof typeof SIDES, Run[]> = { before: [], after: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const side of ['before', 'after'] as const) runs[side].push(await runWeekCli(SIDES[side]));
  }
  for (const side of ['before', 'after'] as const) {
    const figure = (pick: (r: Run) => number) => `${Math.min(...runs[side].map(pick)).toFixed(0)} (${median(runs[side].map(pick)).toFixed(0)})`;
    console.log(`${side.padEnd(7)} run-week ${figure((r) => r.wallMs)} ms, CLI CPU ${figure((r) => r.cliCpuMs)}, PostgreSQL CPU ${figure((r) => r.pgCpuMs)}, ` +
      `start and end ${figure((r) => r.outsideMs)}  (minimum (median))`);
  }
  if (INSTRUCTION_RUNS > 0) {
    const counted: Record<keyof typeof SIDES, number[]> = { before: [], after: [] };
    for (let i = 0; i < INSTRUCTION_RUNS; i++) {
      for (const side of ['before', 'after'] as const) counted[side].push(await instructionsOf(SIDES[side]));
    }
    const millions = (side: keyof typeof SIDES) => counted[side].map((n) => (n / 1e6).toFixed(0)).join(', ');
    const change = (median(counted.after) / median(counted.before) - 1) * 100;
    console.log(`instructions of the CLI process (callgrind, millions): before ${millions('before')}; after ${millions('after')}; ` +
      `median ${change >= 0 ? '+' : ''}${change.toFixed(1)}%`);
  }
} finally {
  await admin.end();
  await rm(dir, { recursive: true, force: true });
}

/** One `spine run-week --json` of the CLI at `bin` on a fresh database, with its own and its backends' CPU. */
async function runWeekCli(bin: string): Promise<Run> {
  const db = await migratedDatabase(bin);
  try {
    const name = new URL(db.url).pathname.slice(1);
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%U %S', process.execPath, ...runWeekArgs(bin)], { env: cliEnv(db.url), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // A backend's CPU as last read before it exits (every 15 ms): the pool's connections end with the process.
    const backends = new Map<number, number>();
    let running = true;
    const sampling = (async () => {
      while (running) {
        const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
        for (const pid of new Set([...backends.keys(), ...rows.map((r) => r.pid)])) {
          const cpu = processCpuMs(pid);
          if (cpu !== undefined) backends.set(pid, cpu);
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const [code] = await once(child, 'close');
    const wallMs = performance.now() - started;
    running = false;
    await sampling;
    if (code !== 0) throw new Error(`spine run-week (${bin}) exited with ${code}: ${stderr.trim()}`);
    const [user, system] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    const { durationMs } = JSON.parse(stdout) as { durationMs: number };
    return { wallMs, cliCpuMs: (user! + system!) * 1000, pgCpuMs: [...backends.values()].reduce((a, b) => a + b, 0), outsideMs: wallMs - durationMs };
  } finally {
    await db.drop();
  }
}

/** A fresh database with the schema of the CLI at `bin` (each side's own migrations: the two may differ). */
function migratedDatabase(bin: string) {
  return benchDatabase('week_ab', (url) => execFileAsync(process.execPath, [bin, 'db', 'migrate'], { env: cliEnv(url) }));
}

/** `spine run-week --json` of the bench's week, for the CLI at `bin`. */
function runWeekArgs(bin: string): string[] {
  return [bin, 'run-week', '--tier', TIER, '--week', WEEK, '--file', file, '--max-reject-share', '0.05', '--json'];
}

function cliEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
}

/** The instructions one `spine run-week` of the CLI at `bin` executes, on a fresh database, as callgrind counts them. */
async function instructionsOf(bin: string): Promise<number> {
  const db = await migratedDatabase(bin);
  try {
    const { stderr } = await execFileAsync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...runWeekArgs(bin)],
      { env: cliEnv(db.url), maxBuffer: 64 * 1024 * 1024 });
    const collected = /Collected : (\d+)/.exec(stderr);
    if (!collected) throw new Error(`callgrind reported no instruction count for ${bin}: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    return Number(collected[1]);
  } finally {
    await db.drop();
  }
}

/** User and system CPU of a process so far, from /proc/<pid>/stat; undefined once it is gone. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
