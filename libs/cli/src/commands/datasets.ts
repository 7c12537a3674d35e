import type { Command } from 'commander';
import { printJson } from '../runtime.ts';

export function registerDatasets(program: Command): void {
  program
    .command('datasets')
    .description('the datasets this release serves: their partitions (period and keys, with the values each key takes) and stages')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const [{ datasets }, { renderTable }] = await Promise.all([import('@spine/datasets'), import('../table.ts')]);
      const described = datasets.list().map((d) => ({
        name: d.name, title: d.title, publisher: d.publisher, period: d.period.kind,
        keys: d.keys.map((k) => ({ field: k.field, values: [...k.values] })),
        stages: d.stages.map((s) => ({ name: s.name, queue: s.queue, spans_neighbours: s.spansNeighbours })),
      }));
      if (opts.json) return printJson(described);
      process.stdout.write(`${renderTable(['dataset', 'title', 'period', 'partition keys', 'stages (* over neighbouring periods)'], described.map((d) => [
        d.name, d.title, d.period, d.keys.map((k) => `${k.field}: ${k.values.join(', ')}`).join('\n'),
        d.stages.map((s) => `${s.name}${s.spans_neighbours ? '*' : ''}`).join(' > '),
      ]))}\n`);
    });
}
