import type { Command } from 'commander';
import { InputError } from '@spine/platform/errors';
import { printJson, withRuntime } from '../runtime.ts';

interface RunWeekOptions {
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
    .description('run every stage of one week x tier in-process from a FINRA week file')
    .requiredOption('--tier <tier>', 'NMS_TIER_1, NMS_TIER_2 or OTC (FINRA spellings accepted)')
    .requiredOption('--week <friday>', 'week_ending, the Friday of the week (YYYY-MM-DD)')
    .option('--venue-type <type>', 'ATS or NON_ATS: which of FINRA\'s summaries the file holds (a download file does not say)', 'ATS')
    .requiredOption('--file <path>', 'the week file (FINRA download format or the legacy format)')
    .option('--force', 're-run stages that already completed for this source')
    .option('--max-reject-share <share>', 'quality gate: stop after ingest above this reject share (default QUALITY_MAX_REJECT_SHARE)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: RunWeekOptions) =>
      withRuntime(async ({ env, logger, pool }) => {
        const maxRejectShare = opts.maxRejectShare === undefined ? env.QUALITY_MAX_REJECT_SHARE : parseShare(opts.maxRejectShare);
        const [{ runWeek }, { renderTable }] = await Promise.all([import('@spine/otc'), import('../table.ts')]);
        const result = await runWeek(pool, { tier: opts.tier, venueType: opts.venueType, weekEnding: opts.week, file: opts.file, force: opts.force, maxRejectShare, logger });
        if (opts.json) return printJson(result);
        process.stdout.write(
          `${result.tier} ${result.venueType} ${result.weekEnding}: ${result.status} (capture ${result.captureId}, revision ${result.revision}, batch ${result.batchId})\n` +
            `${renderTable(['stage', 'status', 'rows', 'ms', 'detail'], result.stages.map((s) => [s.stage, s.status, s.rowCount, s.durationMs, stageDetail(s.metrics)]))}\n` +
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

function stageDetail(metrics: Record<string, unknown>): string {
  const raw = metrics.otc_raw as { data_lines?: number; rejected?: number; rejects_by_reason?: Record<string, number> } | undefined;
  if (raw) {
    const reasons = Object.entries(raw.rejects_by_reason ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
    return `${raw.data_lines} lines, ${raw.rejected} rejected${reasons ? ` (${reasons})` : ''}`;
  }
  return Object.entries(metrics)
    .filter(([, v]) => typeof v === 'object' && v !== null && 'rows' in v)
    .map(([k, v]) => `${k.replace(/^otc_/, '')}=${(v as { rows: number }).rows}`)
    .join(' ');
}
