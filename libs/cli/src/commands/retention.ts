import type { Command } from 'commander';
import type { RetentionResult } from '@spine/platform/dataset/dataset-definition';
import { datasetNamed, printJson, withRuntime } from '../runtime.ts';

export function registerRetention(program: Command): void {
  program
    .command('retention')
    .description('retire periods older than each table keeps them (core_retention_policies: raw 2 years, normalized 5, derived kept)')
    .option('--dataset <name>', 'the dataset (spine datasets lists them; default: every registered dataset)')
    .option('--dry-run', 'count what would be retired, change nothing')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { dataset?: string; dryRun?: boolean; json?: boolean }) => {
      await withRuntime(async ({ pool }) => {
        const [{ datasets }, { renderTable }] = await Promise.all([import('@spine/datasets'), import('../table.ts')]);
        const chosen = opts.dataset === undefined ? datasets.list() : [datasetNamed(datasets, opts.dataset)];
        const results = [];
        for (const dataset of chosen) results.push(await dataset.applyRetention(pool, { dryRun: !!opts.dryRun }));
        const result = mergeRetention(results);
        if (opts.json) return printJson(result);
        const verb = result.dry_run ? 'would retire' : 'retired';
        process.stdout.write(`${renderTable(['table', 'keep', `captures ${verb}`, 'rows'],
          result.tables.map((t) => [t.table, t.keep ?? 'forever', String(t.captures), String(t.rows)]))}\n`);
        const freed = Object.entries(result.freed).map(([table, rows]) => `${table} ${rows}`).join(', ');
        process.stderr.write(`as of ${result.as_of}; stored rows ${result.dry_run ? 'that would be ' : ''}freed: ${freed || 'none'}\n`);
      });
    });
}

/** Several datasets' retention runs as one report: their tables one after another, freed rows added up by table. */
function mergeRetention(results: RetentionResult[]): RetentionResult {
  const freed: Record<string, number> = {};
  for (const r of results) for (const [table, rows] of Object.entries(r.freed)) freed[table] = (freed[table] ?? 0) + rows;
  return { dry_run: results[0]!.dry_run, as_of: results[0]!.as_of, tables: results.flatMap((r) => r.tables), freed };
}
