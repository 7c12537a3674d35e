import type { Command } from 'commander';
import { InputError } from '@spine/platform/errors';
import { datasetNamed, printJson, withRuntime } from '../runtime.ts';

interface RunWeekOptions {
  dataset?: string;
  tier: string;
  venueType: string;
  week: string;
  file: string;
  force?: boolean;
  maxRejectShare?: string;
  json?: boolean;
}

export function registerRunWeek(program: Command): void {
  program
    .command('run-week')
    .description('run every stage of one partition in-process from a local file')
    .option('--dataset <name>', 'the dataset (spine datasets lists them; default: the first registered)')
    .requiredOption('--tier <tier>', 'the tier (spine datasets lists the values; the publisher\'s spellings accepted)')
    .requiredOption('--week <friday>', 'week_ending, the Friday of the week (YYYY-MM-DD)')
    .option('--venue-type <type>', 'the venue type: which of the publisher\'s series the file holds (a download file does not say); default: the dataset\'s default')
    .requiredOption('--file <path>', 'the file, in a layout the dataset reads')
    .option('--force', 're-run stages that already completed for this source')
    .option('--max-reject-share <share>', 'quality gate: stop after ingest above this reject share (default QUALITY_MAX_REJECT_SHARE)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: RunWeekOptions) =>
      withRuntime(async ({ env, logger, pool }) => {
        const maxRejectShare = opts.maxRejectShare === undefined ? env.QUALITY_MAX_REJECT_SHARE : parseShare(opts.maxRejectShare);
        const [{ datasets }, { renderTable }, { runPartition }] = await Promise.all([import('@spine/datasets'), import('../table.ts'), import('@spine/platform/partition-run')]);
        const dataset = datasetNamed(datasets, opts.dataset);
        const result = await runPartition(pool, dataset, { tier: opts.tier, venueType: opts.venueType, weekEnding: opts.week, file: opts.file, force: opts.force, maxRejectShare, logger });
        if (opts.json) return printJson(result);
        process.stdout.write(
          `${result.tier} ${result.venueType} ${result.weekEnding}: ${result.status} (capture ${result.captureId}, revision ${result.revision}, batch ${result.batchId})\n` +
            `${renderTable(['stage', 'status', 'rows', 'ms', 'detail'], result.stages.map((s) => [s.stage, s.status, s.rowCount, s.durationMs, stageDetail(dataset.name, s.metrics)]))}\n` +
            `total ${result.durationMs} ms\n`,
        );
        if (result.status === 'gated') process.exitCode = 3;
      }),
    );
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
