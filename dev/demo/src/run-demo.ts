import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { pino } from 'pino';
import { addWeeks, createPool, partitionKeys } from '@spine/platform';
import { loadCliEnv } from '@spine/cli/cli-env';
import { ensureStack } from '@spine/local-stack';
import { startFinraStandIn } from '@spine/finra-stand-in';
import { enqueueBatch, expandWeeks, openQueues } from '@spine/orchestration';
import { randomBytes } from 'node:crypto';
import { spawnSpine, spawnWorker, type SpineChild } from '@spine/cli/spawn-spine';
import { watchBatch } from '@spine/cli/batch-watch';
import { demoRegShoDays, regShoFigures } from './demo-regsho.ts';
import { demoSummary } from './demo-summary.ts';
import { ensureDemoFixtures } from './demo-fixtures.ts';
import { printJson, stopSignal } from '@spine/cli/runtime';
import { renderTable } from '@spine/cli/table';
import { datasets } from '@spine/datasets';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LAST_WEEK = '2025-12-12';
const WEEKS = 6;

export interface DemoOptions {
  once?: boolean;
  json?: boolean;
  scheduler?: boolean;
}

/** The Quick start's main job: local stack, FINRA stand-in, two workers, the dashboard and a backfill through them. */
export async function runDemo(opts: DemoOptions): Promise<void> {
  const once = opts.once || !process.stdout.isTTY;
  process.stderr.write('demo: bringing up the local stack (PostgreSQL, Redis, S3)\n');
  const stack = await ensureStack({ env: process.env });
  const otc = datasets.get('otc');
  const regsho = datasets.get('regsho');
  const [tiers, venueTypes] = partitionKeys(otc);
  const firstWeek = addWeeks(LAST_WEEK, -(WEEKS - 1));
  const weeks = expandWeeks(tiers.values, firstWeek, LAST_WEEK, venueTypes.values);
  const fixturesDir = join(stack.stateDir, 'demo-fixtures');
  await ensureDemoFixtures(fixturesDir, weeks);
  const calendarPool = createPool(stack.env.DATABASE_URL!);
  const days = await demoRegShoDays(calendarPool, regsho, fixturesDir, firstWeek, LAST_WEEK).finally(() => calendarPool.end());
  const standIn = await startFinraStandIn({ fixturesDir, logger: pino({ level: 'silent' }) });
  process.stderr.write(`demo: FINRA stand-in at ${standIn.url}, serving ${weeks.length} OTC week files and ${days.length} Reg SHO daily files from ${fixturesDir}\n`);
  // A demo admin password is made up when none is set, and shown once on the terminal (never logged).
  const adminPassword = process.env.DASHBOARD_ADMIN_PASSWORD ?? randomBytes(9).toString('base64url');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...stack.env, FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl,
    WORKER_HEALTH_PORT: '0', SCHEDULER_HEALTH_PORT: '0', DASHBOARD_ADMIN_PASSWORD: adminPassword, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const env = loadCliEnv(childEnv);
  const spawned = await Promise.allSettled([1, 2].map((n) => spawnWorker(childEnv, [], (line) => process.stderr.write(`[worker ${n}] ${line}\n`))));
  const workers = spawned.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failedStart = spawned.find((s) => s.status === 'rejected');
  if (failedStart) {
    // A worker left running here would keep taking this queue's jobs with a stand-in that is about to vanish.
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await standIn.close();
    throw (failedStart as PromiseRejectedResult).reason;
  }
  process.stderr.write('demo: two workers running\n');
  const services: SpineChild[] = [];
  const forward = (name: string) => (line: string) => process.stderr.write(`[${name}] ${line}\n`);
  try {
    services.push(await spawnSpine(['dashboard', '--port', process.env.DASHBOARD_PORT ?? '3000'], childEnv, { startedMessage: 'dashboard started', onLog: forward('dashboard') }));
    if (opts.scheduler) services.push(await spawnSpine(['scheduler'], childEnv, { startedMessage: 'scheduler started', onLog: forward('scheduler') }));
  } catch (error) {
    await Promise.all([...workers, ...services].map((c) => c.stop('SIGTERM')));
    await standIn.close();
    throw error;
  }
  const dashboardUrl = /"url":"(http:[^"]+)"/.exec(services[0]!.output())?.[1] ?? 'http://127.0.0.1:3000';
  const pool = createPool(env.DATABASE_URL);
  const queues = openQueues(env, pool, datasets);
  const stop = async () => {
    await Promise.all([...workers, ...services].map((w) => w.stop('SIGTERM')));
    await queues.close();
    await pool.end();
    await standIn.close();
  };
  try {
    const batch = await enqueueBatch(queues, {
      dataset: otc.name, kind: 'demo', weeks, source: 'finra', force: false, maxRejectShare: env.QUALITY_MAX_REJECT_SHARE, requestedBy: 'demo',
      params: { from: weeks[0]!.week_ending, to: LAST_WEEK },
    });
    if (batch.batch_id === null) throw new Error(`all ${batch.in_flight.length} demo weeks are still in flight from an earlier run (queue prefix ${env.QUEUE_PREFIX}); let it finish or clean the queues in Bull Board`);
    const batchId = batch.batch_id;
    process.stderr.write(`demo: batch ${batchId}: ${batch.enqueued.length} week x tier x venue type flows enqueued${batch.in_flight.length ? `, ${batch.in_flight.length} already in flight` : ''}\n`);
    const daily = await enqueueBatch(queues, {
      dataset: regsho.name, kind: 'demo', weeks: days, source: 'finra', force: false, maxRejectShare: env.QUALITY_MAX_REJECT_SHARE, requestedBy: 'demo',
      params: { from: days[0]!.week_ending, to: days.at(-1)!.week_ending },
    });
    if (daily.batch_id === null) throw new Error(`all ${daily.in_flight.length} demo trading days are still in flight from an earlier run (queue prefix ${env.QUEUE_PREFIX}); let it finish or clean the queues in Bull Board`);
    process.stderr.write(`demo: batch ${daily.batch_id}: ${daily.enqueued.length} trading day x facility flows of Reg SHO short-sale volume enqueued\n`);
    const progress = await watchBatch(queues, batchId, { quiet: opts.json });
    const dailyProgress = await watchBatch(queues, daily.batch_id, { quiet: opts.json });
    const summary = await demoSummary(pool, batchId);
    const shortSales = await regShoFigures(pool, daily.batch_id);
    const complete = (p: typeof progress) => p.weeks_failed === 0 && p.weeks_gated === 0 && p.weeks_done === p.weeks_total;
    const allDone = complete(progress) && complete(dailyProgress);
    if (opts.json) printJson({ batch_id: batch.batch_id, progress, weeks: summary, regsho: { batch_id: daily.batch_id, progress: dailyProgress, ...shortSales } });
    else {
      process.stdout.write(`${renderTable(['week_ending', 'tier', 'venue_type', 'status', 'rows', 'rejects', 'seconds'], summary.map((w) => [w.week_ending, w.tier, w.venue_type, w.status, w.rows, w.rejects, w.seconds]))}\n`);
      const rows = summary.reduce((n, w) => n + w.rows, 0);
      const rejects = summary.reduce((n, w) => n + w.rejects, 0);
      process.stdout.write(`batch ${batchId}: ${progress.weeks_done}/${progress.weeks_total} weeks complete, ${rows} rows, ${rejects} rejects, ` +
        `${(progress.elapsed_ms / 1000).toFixed(1)} s (${progress.rows_ingested} rows newly ingested; unchanged weeks are skipped)\n` +
        `regsho batch ${daily.batch_id}: ${dailyProgress.weeks_done}/${dailyProgress.weeks_total} trading days x facilities complete, ` +
        `${shortSales.rows} rows, ${shortSales.symbol_weeks} symbol-weeks of short volume, ${shortSales.joined} beside OTC's ATS volume, ${shortSales.with_ats_share} with its ATS share (research_symbol_week)\n` +
        `lineage: npx spine lineage ${batchId}\n` +
        // With --once the dashboard stops with the demo: its address and password would point at nothing.
        (once ? 'dashboard: stopped with the demo; run `npm run demo` on a terminal to keep the cluster and the dashboard up\n'
          : `dashboard: ${dashboardUrl} (user admin${process.env.DASHBOARD_ADMIN_PASSWORD ? '' : `, password ${adminPassword}`})\n`));
    }
    process.exitCode = allDone ? 0 : 1;
    if (!once) {
      process.stderr.write(`demo: stack, stand-in, workers and the dashboard (${dashboardUrl}) stay up; Ctrl-C stops them\n`);
      await stopSignal();
    }
  } finally {
    await stop();
    process.stderr.write(`demo: stopped (servers the stack started keep running; \`npm run stack -- --down\` in ${REPO_ROOT} stops them)\n`);
  }
}
