/**
 * bench:history [--shape nms|otc] [--weeks 208] [--rows 10000] [--workers 2] [--compare-weeks 12] [--probe-every 30]:
 * four years of partitions (weeks x 3 tiers x both venue types, 1,248 at 208 weeks) of `rows` lines each, in one batch
 * through real `spine worker` processes from a directory source, on a fresh database. First the newest
 * `--compare-weeks` weeks alone in a database of their own (the short-batch figure the long one is held to), then
 * the whole history. While it runs, every `--probe-every` seconds, and three times after it, what users ask of a big
 * database is timed: `spine status` (its default 8 weeks, and every week), `spine lag`, the dashboard's coverage grid
 * (12 weeks and every week), Bull Board's stage queue (its API, as the board's page asks it, from a dashboard on the
 * cluster), the research API's symbol history and week snapshot, and the research snapshot view for one symbol; after it, as loaded and again after an ANALYZE (what autovacuum does on a server that runs it). Then
 * rows/s of both batches, the database's size per million lines (by stored table), the planner statistics of the big
 * tables, and what the default retention policies would free. BENCH_KEEP_DATABASE=1 keeps the history's database
 * (its URL is printed) to look into afterwards; drop it by hand.
 */
import { execFile } from 'node:child_process';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addWeeks, parseEnv, type Pool } from '@spine/platform';
import { startDashboard, type DashboardHandle } from '@spine/dashboard';
import { dashboardEnvSchema } from '@spine/dashboard/dashboard-env';
import { applyRetention, TIERS, VENUE_TYPES, type Tier, type VenueType } from '@spine/otc';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { expandWeeks } from '@spine/orchestration';
import { coverageGrid } from '@spine/operations';
import { datasets } from '@spine/datasets';
import { symbolHistoryQuery, weekTierQuery } from '@spine/otc/research/request-schemas';
import { symbolHistory } from '@spine/otc/research/symbol-history';
import { weekSnapshot } from '@spine/otc/research/week-snapshot';
import { SPINE_BIN } from '../support/spine-cli.ts';
import { startBenchCluster, startBenchS3, type BenchCluster } from './bench-cluster.ts';
import { benchArgs, SHAPES } from './bench-shape.ts';

const args = benchArgs({
  weeks: { default: '208' }, rows: { default: '10000' }, workers: { default: '2' }, 'compare-weeks': { default: '12' }, 'probe-every': { default: '30' },
});
const count = (name: keyof typeof args, min: number): number => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be a whole number, ${min} or more, got "${args[name]}"`);
    process.exit(2);
  }
  return value;
};
const WEEKS = count('weeks', 1);
const ROWS = count('rows', 1);
const WORKERS = count('workers', 1);
const COMPARE_WEEKS = count('compare-weeks', 0);
const PROBE_EVERY_S = count('probe-every', 0);
const LAST = '2025-12-12';
const FIRST = addWeeks(LAST, -(WEEKS - 1));
/** The admin's password of the dashboard the bench starts for Bull Board. */
const BOARD_PASSWORD = 'bench-admin-password';
/** The dashboard's default grid, and the most weeks its page shows at once. */
const GRID_WEEKS = [12, Math.min(WEEKS, 260)];

const work = await mkdtemp(join(tmpdir(), 'spine-bench-history-'));
const fixtures = join(work, 'weeks');
// The week generator takes OTC's own key types, which these are.
const weeks = expandWeeks([...TIERS], FIRST, LAST, VENUE_TYPES) as { tier: Tier; venue_type: VenueType; week_ending: string }[];
const fileOf = (w: (typeof weeks)[number]) =>
  w.venue_type === 'NON_ATS' ? join(fixtures, w.tier, 'NON_ATS', `${w.week_ending}.psv`) : join(fixtures, w.tier, `${w.week_ending}.psv`);
const genStart = performance.now();
for (const w of weeks) {
  // One seed a venue type, as bench:backfill: a symbol trades week after week, so histories and windows are whole.
  await writeWeekFile(fileOf(w), { tier: w.tier, weekEnding: w.week_ending, rows: ROWS, seed: w.venue_type === 'NON_ATS' ? 53 : 52, rejectRate: 0.001,
    venueType: w.venue_type, universe: SHAPES[args.shape] });
}
const row = (k: string, v: string) => console.log(`${k.padEnd(48)} ${v}`);
console.log(`bench:history --shape ${args.shape} — ${weeks.length} partitions (${WEEKS} weeks x 3 tiers x ATS+NON_ATS, ${FIRST} to ${LAST}) of ` +
  `${ROWS.toLocaleString('en-US')} lines, ${(weeks.length * ROWS).toLocaleString('en-US')} lines, generated in ${((performance.now() - genStart) / 1000).toFixed(0)} s; ` +
  `${WORKERS} workers`);
// A symbol of the newest NMS Tier 1 ATS week: with one seed it trades in every week of the history.
const symbol = await firstSymbol(fileOf(weeks.find((w) => w.tier === 'NMS_TIER_1' && w.venue_type === 'ATS' && w.week_ending === LAST)!));

const s3 = await startBenchS3(work);
try {
  let compareRate: number | undefined;
  if (COMPARE_WEEKS > 0 && COMPARE_WEEKS < WEEKS) {
    const short = weeks.filter((w) => w.week_ending > addWeeks(LAST, -COMPARE_WEEKS));
    const cluster = await startBenchCluster('history_short', { s3Port: s3.port, fixtures, workers: WORKERS });
    try {
      const { seconds, progress } = await cluster.runBatch(short);
      const lines = await linesOf(cluster.pool);
      compareRate = lines / seconds;
      row(`${COMPARE_WEEKS} weeks (${short.length} partitions), one batch`, `${progress.weeks_done}/${progress.weeks_total} in ${seconds.toFixed(1)} s, ` +
        `${Math.round(compareRate).toLocaleString('en-US')} rows/s${failures(progress)}`);
    } finally {
      await cluster.stop();
    }
  }

  const cluster = await startBenchCluster('history', { s3Port: s3.port, fixtures, workers: WORKERS });
  let dashboard: DashboardHandle | undefined;
  try {
    // The schedules read the week files too, so `spine lag` and the grid ask no remote source whether a week is out.
    await cluster.pool.query('UPDATE core_expected_schedules SET source = $1', [`dir:${fixtures}`]);
    dashboard = await startDashboard(parseEnv(dashboardEnvSchema, { ...cluster.envVars, LOG_LEVEL: 'silent', DASHBOARD_ADMIN_PASSWORD: BOARD_PASSWORD }),
      { port: 0, host: '127.0.0.1', publication: null });
    const probes = probesOf(cluster, dashboard);
    const during = new Map<string, number[]>(Object.keys(probes).map((name) => [name, []]));
    let lastProbe = performance.now();
    let lastReport = performance.now();
    const started = performance.now();
    const { seconds, progress } = await cluster.runBatch(weeks, async () => {
      if (performance.now() - lastReport > 60_000) {
        lastReport = performance.now();
        const lines = await linesOf(cluster.pool);
        console.log(`  ${Math.round((lastReport - started) / 1000)} s: ${lines.toLocaleString('en-US')} lines stored`);
      }
      if (PROBE_EVERY_S === 0 || performance.now() - lastProbe < PROBE_EVERY_S * 1000) return;
      for (const [name, probe] of Object.entries(probes)) during.get(name)!.push(await timed(probe));
      lastProbe = performance.now();
    });
    const lines = await linesOf(cluster.pool);
    const rate = lines / seconds;
    row(`${WEEKS} weeks (${weeks.length} partitions), one batch`, `${progress.weeks_done}/${progress.weeks_total} in ${seconds.toFixed(1)} s, ` +
      `${lines.toLocaleString('en-US')} lines, ${Math.round(rate).toLocaleString('en-US')} rows/s${failures(progress)}` +
      (compareRate ? `  (${((rate / compareRate) * 100).toFixed(0)}% of the ${COMPARE_WEEKS}-week batch; target >= 90%)` : ''));

    const { rows: [autovacuum] } = await cluster.pool.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'autovacuum'`);
    const asLoaded = new Map<string, number[]>();
    for (const [name, probe] of Object.entries(probes)) asLoaded.set(name, await threeTimes(probe));
    await cluster.pool.query('ANALYZE');
    console.log(`what users ask, ms (target <= 2,000): while the batch ran (${during.values().next().value?.length ?? 0} probes: median, max) | ` +
      `after it, as loaded (autovacuum ${autovacuum?.setting}) | after ANALYZE (3 runs each: best, worst)`);
    for (const [name, probe] of Object.entries(probes)) {
      const was = [...during.get(name)!].sort((a, b) => a - b);
      const loaded = asLoaded.get(name)!;
      const analyzed = await threeTimes(probe);
      row(`  ${name}`, `${was.length ? `${fmt(was[Math.floor(was.length / 2)]!)}, ${fmt(was.at(-1)!)}` : '-'} | ` +
        `${fmt(loaded[0]!)}, ${fmt(loaded[2]!)} | ${fmt(analyzed[0]!)}, ${fmt(analyzed[2]!)}`);
    }
    await storage(cluster.pool, lines);
  } finally {
    await dashboard?.close();
    await cluster.stop({ keepDatabase: process.env.BENCH_KEEP_DATABASE === '1' });
  }
} finally {
  await s3.close();
  await rm(work, { recursive: true, force: true });
}
process.exit(0);

/** The questions timed, each as a user asks it (a `spine` command is a process of its own, start-up included). */
function probesOf(cluster: BenchCluster, dashboard: DashboardHandle): Record<string, () => Promise<unknown>> {
  const spine = (...argv: string[]) => () =>
    promisify(execFile)(process.execPath, [SPINE_BIN, ...argv], { env: { ...cluster.envVars, LOG_LEVEL: 'warn' }, maxBuffer: 64 * 1024 * 1024 });
  const { pool } = cluster;
  const grids = Object.fromEntries(GRID_WEEKS.map((n) => [`coverage grid, ${n} weeks`, () => coverageGrid(pool, datasets.get('otc'), { now: new Date(), weeks: n, until: LAST })]));
  return {
    'spine status': spine('status'),
    [`spine status --weeks ${WEEKS}`]: spine('status', '--weeks', String(Math.min(WEEKS, 520))),
    'spine lag': spine('lag'),
    ...grids,
    "Bull Board: stage queue, newest completed": () => boardPage(dashboard, '/queues/api/queues?activeQueue=stage&status=completed&page=1&jobsPerPage=10'),
    [`research: symbol history (${symbol}, NMS Tier 1)`]: () => symbolHistory(pool, symbol, symbolHistoryQuery.parse({ tier: 'NMS_TIER_1', page_size: 1000 })),
    "research: week snapshot, first 1,000 rows": () => weekSnapshot(pool, LAST, weekTierQuery.parse({ tier: 'NMS_TIER_1', page_size: 1000 })),
    'otc_research_snapshot_latest, one symbol': () =>
      pool.query(`SELECT * FROM otc_research_snapshot_latest WHERE symbol = $1 AND tier = 'NMS_TIER_1' ORDER BY week_ending`, [symbol]),
  };
}

/** Size of the database and of its biggest tables, per million stored lines; planner statistics; retention. */
async function storage(pool: Pool, lines: number): Promise<void> {
  const perMillion = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB (${(bytes / (lines / 1e6) / 1e6).toFixed(1)} MB per million lines)`;
  const { rows: [db] } = await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
  row('database size', perMillion(Number(db!.bytes)));
  const { rows: tables } = await pool.query<{ name: string; bytes: string; live: string; analyzed: string | null; analyses: string; vacuums: string }>(
    `SELECT relname AS name, pg_total_relation_size(relid) AS bytes, n_live_tup AS live,
            to_char(GREATEST(last_analyze, last_autoanalyze), 'HH24:MI:SS') AS analyzed, autoanalyze_count AS analyses, autovacuum_count AS vacuums
       FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 6`);
  for (const t of tables) {
    row(`  ${t.name}`, `${perMillion(Number(t.bytes))}; ${Number(t.live).toLocaleString('en-US')} rows; autoanalyzed ${t.analyses}x, autovacuumed ${t.vacuums}x`);
  }
  const today = new Date().toISOString().slice(0, 10);
  const retention = await applyRetention(pool, { dryRun: true, asOf: today });
  const retiring = retention.tables.filter((t) => t.captures > 0).map((t) => `${t.table} ${t.captures} captures (${t.rows.toLocaleString('en-US')} rows)`);
  const freed = Object.entries(retention.freed).map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`);
  row(`retention as of ${today} (dry run, the policies)`, `retires ${retiring.join(', ') || 'nothing'}; frees stored rows: ${freed.join(', ') || 'none'}`);
}

async function linesOf(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM otc_week_lines');
  return Number(rows[0]!.n);
}

/** A page of the dashboard as the signed-in admin asks it; anything but 200 fails the bench. */
async function boardPage(dashboard: DashboardHandle, path: string): Promise<void> {
  const res = await fetch(`${dashboard.url}${path}`, { headers: { authorization: `Basic ${Buffer.from(`admin:${BOARD_PASSWORD}`).toString('base64')}` } });
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  await res.arrayBuffer();
}

/** Three runs of a probe, fastest first. */
async function threeTimes(probe: () => Promise<unknown>): Promise<number[]> {
  return [await timed(probe), await timed(probe), await timed(probe)].sort((a, b) => a - b);
}

async function timed(probe: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await probe();
  return performance.now() - started;
}

function fmt(ms: number): string {
  return Math.round(ms).toLocaleString('en-US');
}

function failures(progress: { weeks_failed: number; failures: unknown[] }): string {
  return progress.weeks_failed ? `, ${progress.weeks_failed} FAILED: ${JSON.stringify(progress.failures.slice(0, 2))}` : '';
}

/** The symbol of a week file's first line (after the header). */
async function firstSymbol(file: string): Promise<string> {
  const handle = await open(file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n')[1]!.split('|')[1]!;
  } finally {
    await handle.close();
  }
}
