import type { Command } from 'commander';
import type { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import { InputError } from '@spine/platform/errors';
import { addKeyOptions, keyOptionValues } from '../partition-options.ts';
import { datasetNamed, printJson, withRuntime } from '../runtime.ts';

interface BackfillOptions {
  dataset?: string;
  from: string;
  to: string;
  source: string;
  force?: boolean;
  maxRejectShare?: string;
  wait?: boolean;
  json?: boolean;
}

export function registerBackfill(program: Command, datasets: DatasetRegistry): void {
  const command = program
    .command('backfill')
    .description('enqueue one batch of partitions (period x keys); prints its batch_id')
    .option('--dataset <name>', 'the dataset (spine datasets lists them; default: the first registered)');
  addKeyOptions(command, datasets, (label) => `a ${label} or all (default all; spine datasets lists the values)`)
    .requiredOption('--from <period>', 'the first period: a week_ending (a Friday) or a trade date, as the dataset\'s periods are')
    .requiredOption('--to <period>', 'the last period')
    .option('--source <source>', 'finra | dir:<path> | s3:<bucket>/<prefix>', 'finra')
    .option('--force', 're-run weeks already loaded (a week queued or running is left to its chain)')
    .option('--max-reject-share <share>', 'quality gate for these weeks: stop a week after ingest above this reject share (default QUALITY_MAX_REJECT_SHARE)')
    .option('--wait', 'show progress until the batch ends; exit non-zero if any week failed')
    .option('--json', 'print the result as JSON')
    .action(async (opts: BackfillOptions & Record<string, unknown>) => {
      const [{ loadPeriodCalendar }, { backfillRequestSchema, backfillWeeks, describeIssues, enqueueBatch, expandWeeks, gatedWeeks, openQueues, partitionName }, { sourceAllowListFromEnv, sourceCatalog }, { watchBatch }, { renderTable }] =
        await Promise.all([import('@spine/platform/time/period-calendar'), import('@spine/orchestration'), import('@spine/finra-source'), import('../batch-watch.ts'), import('../table.ts')]);
      const dataset = datasetNamed(datasets, opts.dataset);
      const [firstKey = 'all', secondKey = 'all'] = keyOptionValues(datasets, dataset, opts);
      await withRuntime(async ({ env, pool }) => {
        // A weekly dataset's periods are known without the database, so bad input is refused before any connection.
        const periods = await loadPeriodCalendar(pool, dataset.period);
        const sources = sourceCatalog({ allow: sourceAllowListFromEnv(env) });
        const parsed = backfillRequestSchema(dataset, sources, { maxPartitions: env.BACKFILL_MAX_PARTITIONS, periods }).safeParse({ tier: firstKey, venue_type: secondKey, from: opts.from, to: opts.to, source: opts.source, force: !!opts.force, max_reject_share: opts.maxRejectShare });
        if (!parsed.success) throw new InputError(describeIssues(parsed.error));
        const request = parsed.data;
        const { weeks, unpublished, refusal, warning } = await backfillWeeks(dataset, sources, request.source, expandWeeks(request.tier, request.from, request.to, request.venue_type, periods));
        if (refusal) throw new InputError(refusal);
        if (warning) process.stderr.write(`warning: ${warning}\n`);
        if (unpublished.length > 0) process.stderr.write(`not published by ${dataset.publisher} yet, not enqueued: ${unpublished.map((w) => partitionName(dataset, w)).join(', ')}\n`);
        const queues = openQueues(env, pool, datasets);
        try {
          const result = await enqueueBatch(queues, {
            dataset: dataset.name, kind: 'backfill', weeks, source: request.source, force: request.force,
            maxRejectShare: request.max_reject_share ?? env.QUALITY_MAX_REJECT_SHARE, requestedBy: 'cli',
            params: { from: request.from, to: request.to, tiers: request.tier, venue_types: request.venue_type, weeks_unpublished: unpublished },
          });
          if (result.batch_id === null) {
            if (opts.json) return printJson(result);
            process.stderr.write(`nothing enqueued: all ${result.in_flight.length + result.retried.length} week(s) are already in flight (see Bull Board or spine status)\n`);
            return;
          }
          if (!opts.wait) {
            if (opts.json) return printJson(result);
            process.stdout.write(`${result.batch_id}\n`);
            process.stderr.write(`enqueued ${result.enqueued.length} week(s)${result.in_flight.length ? `, ${result.in_flight.length} already in flight` : ''}\n`);
            return;
          }
          const progress = await watchBatch(queues, result.batch_id, { quiet: opts.json });
          const gated = progress.weeks_gated > 0 ? await gatedWeeks(pool, result.batch_id) : [];
          if (opts.json) printJson({ ...result, progress, gated });
          else {
            process.stdout.write(`${result.batch_id}\n`);
            process.stdout.write(`${renderTable(['weeks', 'done', 'gated', 'failed', 'rows', 'seconds'], [[progress.weeks_total, progress.weeks_done, progress.weeks_gated, progress.weeks_failed, progress.rows_ingested, (progress.elapsed_ms / 1000).toFixed(1)]])}\n`);
            for (const f of progress.failures) process.stderr.write(`failed: ${partitionName(dataset, f)} at ${f.stage}: ${f.error}\n`);
            for (const g of gated) {
              const reasons = g.top_reasons.map((r) => `${r.reason_code} ${r.count}`).join(', ');
              process.stderr.write(`gated: ${partitionName(dataset, g)}: ${g.rejects} rejects (${reasons}); see spine status and core_rejects for capture ${g.capture_id}\n`);
            }
          }
          // As run-week: 1 when a week failed, else 3 when the quality gate stopped one, so a batch of gated weeks never passes as a success.
          if (progress.weeks_failed > 0) process.exitCode = 1;
          else if (gated.length > 0) process.exitCode = 3;
        } finally {
          await queues.close();
        }
      });
    });
}
