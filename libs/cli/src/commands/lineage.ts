import type { Command } from 'commander';
import { InputError } from '@spine/platform/errors';
import { printJson, withRuntime } from '../runtime.ts';

export function registerLineage(program: Command): void {
  program
    .command('lineage')
    .description('the tree of executions of a batch or below an execution')
    .argument('<id>', 'a batch_id or an execution_id')
    .option('--json', 'print the tree as JSON')
    .action(async (id: string, opts: { json?: boolean }) =>
      withRuntime(async ({ pool }) => {
        const { loadLineage, renderTree } = await import('@spine/platform/lineage/lineage-tree');
        const lineage = await loadLineage(pool, id);
        if (lineage.roots.length === 0) throw new InputError(`no batch or execution with id ${id}`);
        if (opts.json) return printJson(lineage);
        process.stdout.write(`batch ${lineage.batchId}\n${renderTree(lineage.roots)}\n`);
      }),
    );
}
