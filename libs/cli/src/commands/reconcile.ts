import type { Command } from 'commander';
import { printJson, withRuntime } from '../runtime.ts';

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('re-create the jobs that open batches need and Redis lost; close batches that can no longer progress')
    .option('--dry-run', 'say what would change, change nothing')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      await withRuntime(async ({ env, pool }) => {
        const [{ openQueues, reconcile }, { renderTable }] = await Promise.all([import('@spine/orchestration'), import('../table.ts')]);
        const queues = openQueues(env, pool, (await import('@spine/datasets')).datasets);
        try {
          const result = await reconcile(queues, { dryRun: !!opts.dryRun, defaultMaxRejectShare: env.QUALITY_MAX_REJECT_SHARE });
          if (opts.json) return printJson(result);
          const verb = result.dry_run ? 'would take' : 'took';
          process.stderr.write(`${result.batches_checked} open batch(es) checked; ${verb} ${result.actions.length} action(s)\n`);
          if (result.actions.length) {
            process.stdout.write(`${renderTable(['batch_id', 'dataset', 'action', 'job_id', 'detail'], result.actions.map((a) => [a.batch_id, a.dataset, a.action, a.job_id, a.detail]))}\n`);
          }
        } finally {
          await queues.close();
        }
      });
    });
}
