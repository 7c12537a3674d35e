import type { Command } from 'commander';
import { printJson, withRuntime } from '../runtime.ts';

export function registerRetention(program: Command): void {
  program
    .command('retention')
    .description('retire weeks older than each table keeps them (core_retention_policies: raw 2 years, normalized 5, derived kept)')
    .option('--dry-run', 'count what would be retired, change nothing')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      await withRuntime(async ({ pool }) => {
        const [{ applyRetention }, { renderTable }] = await Promise.all([import('@spine/otc'), import('../table.ts')]);
        const result = await applyRetention(pool, { dryRun: !!opts.dryRun });
        if (opts.json) return printJson(result);
        const verb = result.dry_run ? 'would retire' : 'retired';
        process.stdout.write(`${renderTable(['table', 'keep', `captures ${verb}`, 'rows'],
          result.tables.map((t) => [t.table, t.keep ?? 'forever', String(t.captures), String(t.rows)]))}\n`);
        const freed = Object.entries(result.freed).map(([table, rows]) => `${table} ${rows}`).join(', ');
        process.stderr.write(`as of ${result.as_of}; stored rows ${result.dry_run ? 'that would be ' : ''}freed: ${freed || 'none'}\n`);
      });
    });
}
