import type { Command } from 'commander';
import { InputError, statusGrid } from '@spine/platform';
import { DOMAIN, parseTier } from '@spine/otc';
import { printJson, withRuntime } from '../runtime.ts';
import { renderTable } from '../table.ts';

const STAGES = ['ingest', 'normalize', 'aggregate', 'rolling', 'snapshot'];

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('week x tier x stage grid of the newest capture of each week')
    .option('--weeks <n>', 'how many recent weeks', '8')
    .option('--tier <tier>', 'only this tier')
    .option('--json', 'print the grid as JSON')
    .action(async (opts: { weeks: string; tier?: string; json?: boolean }) => {
      const weeks = Number(opts.weeks);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520) throw new InputError(`--weeks must be a whole number from 1 to 520, got "${opts.weeks}"`);
      const tier = opts.tier === undefined ? undefined : parseTier(opts.tier);
      if (opts.tier !== undefined && !tier) throw new InputError(`unknown tier "${opts.tier}"`);
      await withRuntime(async ({ pool }) => {
        const grid = await statusGrid(pool, DOMAIN, { weeks, tier });
        if (opts.json) return printJson(grid);
        if (grid.length === 0) return void process.stdout.write('no weeks loaded yet\n');
        process.stdout.write(
          `${renderTable(['week_ending', 'tier', 'rev', ...STAGES], grid.map((cell) => [
            cell.week_ending, cell.tier, cell.revision,
            ...STAGES.map((s) => (cell.stages[s] ? `${cell.stages[s].status} ${cell.stages[s].row_count}` : '-')),
          ]))}\n`,
        );
      });
    });
}
