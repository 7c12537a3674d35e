import type { Command } from 'commander';
import { partitionKeys } from '@spine/platform/dataset/dataset-definition';
import type { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import { InputError } from '@spine/platform/errors';
import { addKeyOptions, keyOptionValues } from '../partition-options.ts';
import { partitionCells, partitionColumns } from '../partition-columns.ts';
import { datasetNamed, printJson, withRuntime } from '../runtime.ts';

export function registerStatus(program: Command, datasets: DatasetRegistry): void {
  const command = program
    .command('status')
    .description('period x keys x stage grid of the newest capture of each partition')
    .option('--dataset <name>', 'the dataset (spine datasets lists them; default: the first registered)')
    .option('--weeks <n>', 'how many recent periods', '8');
  addKeyOptions(command, datasets, (label) => `only this ${label}`)
    .option('--json', 'print the grid as JSON')
    .action(async (opts: { dataset?: string; weeks: string; json?: boolean } & Record<string, unknown>) => {
      const weeks = Number(opts.weeks);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520) throw new InputError(`--weeks must be a whole number from 1 to 520, got "${opts.weeks}"`);
      const [{ statusGrid }, { unknownKeyValue }, { renderTable }] = await Promise.all([
        import('@spine/platform/manifest'), import('@spine/platform/dataset/dataset-registry'), import('../table.ts')]);
      const dataset = datasetNamed(datasets, opts.dataset);
      const [tierKey, venueKey] = partitionKeys(dataset);
      // One value of a key (any of the publisher's spellings) or, when left out, every value; the second key takes `all` too.
      const only = (key: typeof tierKey, text: string | undefined, withAll: boolean) => {
        if (text === undefined || (withAll && text.trim().toLowerCase() === 'all')) return undefined;
        const value = key.parse(text);
        if (!value) throw new InputError(unknownKeyValue(key, text, withAll));
        return value;
      };
      const [tierText, venueText] = keyOptionValues(datasets, dataset, opts);
      const tier = only(tierKey, tierText, false);
      const venueType = only(venueKey, venueText, true);
      // The database's stages: fetch leaves no manifest entry.
      const stages = dataset.stages.filter((s) => s.queue !== 'fetch').map((s) => s.name);
      await withRuntime(async ({ pool }) => {
        const grid = await statusGrid(pool, dataset.name, { periods: weeks, key1: tier, key2: venueType });
        if (opts.json) return printJson(grid);
        if (grid.length === 0) return void process.stdout.write('no weeks loaded yet\n');
        process.stdout.write(
          `${renderTable([...partitionColumns(dataset), 'rev', ...stages], grid.map((cell) => [
            ...partitionCells(dataset, cell), cell.revision,
            ...stages.map((s) => (cell.stages[s] ? `${cell.stages[s].status}, ${cell.stages[s].row_count} rows` : '-')),
          ]))}\n`,
        );
      });
    });
}
