import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { addWeeks, createPool, loadEnv } from '@spine/platform';
import { TIERS } from '@spine/otc';
import { ensureStack } from '@spine/local-stack';
import { startFinraStandIn } from '@spine/finra-source';
import { enqueueBatch, expandWeeks, openQueues } from '@spine/orchestration';
import { spawnWorker } from '../spawn-spine.ts';
import { watchBatch } from '../batch-watch.ts';
import { demoSummary } from '../demo/demo-summary.ts';
import { ensureDemoFixtures } from '../demo/demo-fixtures.ts';
import { printJson } from '../runtime.ts';
import { renderTable } from '../table.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const LAST_WEEK = '2025-12-12';
const WEEKS = 6;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the main job, end to end: local stack, FINRA stand-in, two workers, a 6-week x 3-tier backfill')
    .option('--once', 'exit after the summary (the default without a terminal)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { once?: boolean; json?: boolean }) => {
      const once = opts.once || !process.stdout.isTTY;
      process.stderr.write('demo: bringing up the local stack (PostgreSQL, Redis, S3)\n');
      const stack = await ensureStack({ env: process.env });
      const weeks = expandWeeks([...TIERS], addWeeks(LAST_WEEK, -(WEEKS - 1)), LAST_WEEK);
      const fixturesDir = join(stack.stateDir, 'demo-fixtures');
      await ensureDemoFixtures(fixturesDir, weeks);
      const standIn = await startFinraStandIn({ fixturesDir, logger: pino({ level: 'silent' }) });
      process.stderr.write(`demo: FINRA stand-in at ${standIn.url}, serving ${weeks.length} week files from ${fixturesDir}\n`);
      const childEnv: NodeJS.ProcessEnv = { ...process.env, ...stack.env, FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl,
        WORKER_HEALTH_PORT: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
      const env = loadEnv(childEnv);
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
      const pool = createPool(env.DATABASE_URL);
      const queues = openQueues(env, pool);
      const stop = async () => {
        await Promise.all(workers.map((w) => w.stop('SIGTERM')));
        await queues.close();
        await pool.end();
        await standIn.close();
      };
      try {
        const batch = await enqueueBatch(queues, {
          kind: 'demo', weeks, source: 'finra', force: false, maxRejectShare: env.QUALITY_MAX_REJECT_SHARE, requestedBy: 'demo',
          params: { from: weeks[0]!.week_ending, to: LAST_WEEK },
        });
        if (batch.batch_id === null) throw new Error(`all ${batch.in_flight.length} demo weeks are still in flight from an earlier run (queue prefix ${env.QUEUE_PREFIX}); let it finish or clean the queues in Bull Board`);
        const batchId = batch.batch_id;
        process.stderr.write(`demo: batch ${batchId}: ${batch.enqueued.length} week x tier flows enqueued${batch.in_flight.length ? `, ${batch.in_flight.length} already in flight` : ''}\n`);
        const progress = await watchBatch(queues, batchId, { quiet: opts.json });
        const summary = await demoSummary(pool, batchId);
        const allDone = progress.weeks_failed === 0 && progress.weeks_gated === 0 && progress.weeks_done === progress.weeks_total;
        if (opts.json) printJson({ batch_id: batch.batch_id, progress, weeks: summary });
        else {
          process.stdout.write(`${renderTable(['week_ending', 'tier', 'status', 'rows', 'rejects', 'seconds'], summary.map((w) => [w.week_ending, w.tier, w.status, w.rows, w.rejects, w.seconds]))}\n`);
          process.stdout.write(`batch ${batch.batch_id}: ${progress.weeks_done}/${progress.weeks_total} weeks complete, ${progress.rows_ingested} rows, ` +
            `${(progress.elapsed_ms / 1000).toFixed(1)} s; lineage: npx spine lineage ${batch.batch_id}\n`);
        }
        process.exitCode = allDone ? 0 : 1;
        if (!once) {
          process.stderr.write('demo: stack, stand-in and workers stay up; Ctrl-C stops them\n');
          await new Promise<void>((resolve) => {
            process.once('SIGINT', () => resolve());
            process.once('SIGTERM', () => resolve());
          });
        }
      } finally {
        await stop();
        process.stderr.write(`demo: stopped (servers the stack started keep running; \`npm run stack -- --down\` in ${REPO_ROOT} stops them)\n`);
      }
    });
}
