import type { Command } from 'commander';
import { InputError } from '@spine/platform/errors';
import { parseTier, TIERS } from '@spine/otc/tiers';
import { parseVenueType, VENUE_TYPES } from '@spine/otc/venue-types';
import { printJson, withRuntime } from '../runtime.ts';

const STAGES = ['ingest', 'normalize', 'aggregate', 'rolling', 'snapshot'];

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('week x tier x stage grid of the newest capture of each week')
    .option('--weeks <n>', 'how many recent weeks', '8')
    .option('--tier <tier>', 'only this tier')
    .option('--venue-type <type>', 'ATS, NON_ATS or all', 'all')
    .option('--json', 'print the grid as JSON')
    .action(async (opts: { weeks: string; tier?: string; venueType: string; json?: boolean }) => {
      const weeks = Number(opts.weeks);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520) throw new InputError(`--weeks must be a whole number from 1 to 520, got "${opts.weeks}"`);
      const tier = opts.tier === undefined ? undefined : parseTier(opts.tier);
      if (opts.tier !== undefined && !tier) throw new InputError(`unknown tier "${opts.tier}": use one of ${TIERS.join(', ')}`);
      const all = opts.venueType.trim().toLowerCase() === 'all';
      const venueType = all ? undefined : parseVenueType(opts.venueType);
      if (!all && !venueType) throw new InputError(`unknown venue type "${opts.venueType}": use all, ${VENUE_TYPES.join(' or ')}`);
      const [{ statusGrid }, { DOMAIN }, { renderTable }] = await Promise.all([import('@spine/platform/manifest'), import('@spine/otc/domain'), import('../table.ts')]);
      await withRuntime(async ({ pool }) => {
        const grid = await statusGrid(pool, DOMAIN, { weeks, tier, venueType });
        if (opts.json) return printJson(grid);
        if (grid.length === 0) return void process.stdout.write('no weeks loaded yet\n');
        process.stdout.write(
          `${renderTable(['week_ending', 'tier', 'venue_type', 'rev', ...STAGES], grid.map((cell) => [
            cell.week_ending, cell.tier, cell.venue_type, cell.revision,
            ...STAGES.map((s) => (cell.stages[s] ? `${cell.stages[s].status}, ${cell.stages[s].row_count} rows` : '-')),
          ]))}\n`,
        );
      });
    });
}
