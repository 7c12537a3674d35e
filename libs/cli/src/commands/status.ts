import type { Command } from 'commander';
import { partitionKeys } from '@spine/platform/dataset/dataset-definition';
import { InputError } from '@spine/platform/errors';
import { datasetNamed, printJson, withRuntime } from '../runtime.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('week x tier x stage grid of the newest capture of each week')
    .option('--dataset <name>', 'the dataset (spine datasets lists them; default: the first registered)')
    .option('--weeks <n>', 'how many recent weeks', '8')
    .option('--tier <tier>', 'only this tier')
    .option('--venue-type <type>', 'a venue type or all', 'all')
    .option('--json', 'print the grid as JSON')
    .action(async (opts: { dataset?: string; weeks: string; tier?: string; venueType: string; json?: boolean }) => {
      const weeks = Number(opts.weeks);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520) throw new InputError(`--weeks must be a whole number from 1 to 520, got "${opts.weeks}"`);
      const [{ statusGrid }, { datasets }, { unknownKeyValue }, { renderTable }] = await Promise.all([
        import('@spine/platform/manifest'), import('@spine/datasets'), import('@spine/platform/dataset/dataset-registry'), import('../table.ts')]);
      const dataset = datasetNamed(datasets, opts.dataset);
      const [tierKey, venueKey] = partitionKeys(dataset);
      const tier = opts.tier === undefined ? undefined : tierKey.parse(opts.tier);
      if (opts.tier !== undefined && !tier) throw new InputError(unknownKeyValue(tierKey, opts.tier, false));
      const all = opts.venueType.trim().toLowerCase() === 'all';
      const venueType = all ? undefined : venueKey.parse(opts.venueType);
      if (!all && !venueType) throw new InputError(unknownKeyValue(venueKey, opts.venueType, true));
      // The database's stages: fetch leaves no manifest entry.
      const stages = dataset.stages.filter((s) => s.queue !== 'fetch').map((s) => s.name);
      await withRuntime(async ({ pool }) => {
        const grid = await statusGrid(pool, dataset.name, { weeks, tier, venueType });
        if (opts.json) return printJson(grid);
        if (grid.length === 0) return void process.stdout.write('no weeks loaded yet\n');
        process.stdout.write(
          `${renderTable(['week_ending', 'tier', 'venue_type', 'rev', ...stages], grid.map((cell) => [
            cell.week_ending, cell.tier, cell.venue_type, cell.revision,
            ...stages.map((s) => (cell.stages[s] ? `${cell.stages[s].status}, ${cell.stages[s].row_count} rows` : '-')),
          ]))}\n`,
        );
      });
    });
}
