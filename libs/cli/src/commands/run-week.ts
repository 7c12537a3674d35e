import type { Command } from 'commander';
import type { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import { InputError } from '@spine/platform/errors';
import { addKeyOptions, keyOptionValues, optionAttribute } from '../partition-options.ts';
import { datasetNamed, printJson, withRuntime } from '../runtime.ts';

interface RunWeekOptions {
  dataset?: string;
  week?: string;
  file: string;
  force?: boolean;
  maxRejectShare?: string;
  json?: boolean;
}

/** The option naming a period of the dataset: `--week` for a week_ending, else the period's field (`--trade-date`). */
const periodFlag = (field: string) => (field === 'week_ending' ? 'week' : field.replaceAll('_', '-'));

export function registerRunWeek(program: Command, datasets: DatasetRegistry): void {
  const command = program
    .command('run-week')
    .description('run every stage of one partition in-process from a local file')
    .option('--dataset <name>', 'the dataset (spine datasets lists them; default: the first registered)');
  for (const field of new Set(datasets.list().map((d) => d.period.field))) {
    command.option(`--${periodFlag(field)} <date>`, field === 'week_ending' ? 'week_ending, the Friday of the week (YYYY-MM-DD)' : `${field} (YYYY-MM-DD)`);
  }
  addKeyOptions(command, datasets, (label) => `the ${label} (spine datasets lists the values; the publisher's spellings accepted; a second key defaults to the dataset's default)`)
    .requiredOption('--file <path>', 'the file, in a layout the dataset reads')
    .option('--force', 're-run stages that already completed for this source')
    .option('--max-reject-share <share>', 'quality gate: stop after ingest above this reject share (default QUALITY_MAX_REJECT_SHARE)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: RunWeekOptions & Record<string, unknown>) => {
      const dataset = datasetNamed(datasets, opts.dataset);
      const [tier, venueType] = keyOptionValues(datasets, dataset, opts);
      const flag = periodFlag(dataset.period.field);
      const period = opts[optionAttribute(flag)] as string | undefined;
      if (tier === undefined) throw new InputError(`--${dataset.keys[0].field.replaceAll('_', '-')} is required for ${dataset.name}`);
      if (period === undefined) throw new InputError(`--${flag} is required for ${dataset.name}`);
      return withRuntime(async ({ env, logger, pool }) => {
        const maxRejectShare = opts.maxRejectShare === undefined ? env.QUALITY_MAX_REJECT_SHARE : parseShare(opts.maxRejectShare);
        const { runPartition } = await import('@spine/platform/partition-run');
        const result = await runPartition(pool, dataset, { key1: tier, key2: venueType, periodEnd: period, file: opts.file, force: opts.force, maxRejectShare, logger });
        // --json keeps the first release's names of the partition's keys for every dataset: scripts read them.
        const { batchId, executionId, key1, key2, periodEnd, ...outcome } = result;
        if (opts.json) return printJson({ batchId, executionId, tier: key1, venueType: key2, weekEnding: periodEnd, ...outcome });
        // The table module (and string-width) only for the table: a script asking for --json does not load it.
        const { renderTable } = await import('../table.ts');
        process.stdout.write(
          `${key1} ${key2} ${periodEnd}: ${result.status} (capture ${result.captureId}, revision ${result.revision}, batch ${result.batchId})\n` +
            `${renderTable(['stage', 'status', 'rows', 'ms', 'detail'], result.stages.map((s) => [s.stage, s.status, s.rowCount, s.durationMs, stageDetail(dataset.name, s.metrics)]))}\n` +
            `total ${result.durationMs} ms\n`,
        );
        if (result.status === 'gated') process.exitCode = 3;
      });
    });
}

function parseShare(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new InputError(`--max-reject-share must be a number from 0 to 1, got "${text}"`);
  }
  return value;
}

/** A stage's calculations in a few words: an ingest's lines and rejects, else each calculation's rows (named without the dataset's prefix). */
function stageDetail(datasetName: string, metrics: Record<string, unknown>): string {
  const ingest = Object.values(metrics).find((v): v is { data_lines: number; rejected?: number; rejects_by_reason?: Record<string, number> } =>
    typeof v === 'object' && v !== null && 'data_lines' in v);
  if (ingest) {
    const raw = ingest;
    const reasons = Object.entries(raw.rejects_by_reason ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
    return `${raw.data_lines} lines, ${raw.rejected} rejected${reasons ? ` (${reasons})` : ''}`;
  }
  return Object.entries(metrics)
    .filter(([, v]) => typeof v === 'object' && v !== null && 'rows' in v)
    .map(([k, v]) => `${k.startsWith(`${datasetName}_`) ? k.slice(datasetName.length + 1) : k}=${(v as { rows: number }).rows}`)
    .join(' ');
}
