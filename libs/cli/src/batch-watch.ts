import cliProgress from 'cli-progress';
import { batchProgress, type BatchProgress, type EnqueueDeps } from '@spine/orchestration';

/**
 * Polls a batch until it ends, drawing a progress bar (cli-progress) on a terminal and a line per change
 * elsewhere. Resolves with the final progress.
 */
export async function watchBatch(deps: EnqueueDeps, batchId: string, options: { intervalMs?: number; quiet?: boolean } = {}): Promise<BatchProgress> {
  const interactive = process.stderr.isTTY && !options.quiet;
  const bar = interactive
    ? new cliProgress.SingleBar({ format: 'weeks {bar} {value}/{total} | failed {failed} | gated {gated} | {rate} rows/s | {duration_formatted}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
  let last = '';
  for (;;) {
    const progress = await batchProgress(deps.pool, batchId, deps);
    if (!progress) throw new Error(`batch ${batchId} not found`);
    const done = progress.weeks_done + progress.weeks_gated + progress.weeks_failed;
    const rate = progress.elapsed_ms > 0 ? Math.round(progress.rows_ingested / (progress.elapsed_ms / 1000)) : 0;
    if (bar) {
      if (!bar.isActive) bar.start(progress.weeks_total, 0, { failed: 0, gated: 0, rate: 0 });
      bar.update(done, { failed: progress.weeks_failed, gated: progress.weeks_gated, rate });
    } else if (!options.quiet) {
      const line = `weeks ${done}/${progress.weeks_total} done=${progress.weeks_done} failed=${progress.weeks_failed} gated=${progress.weeks_gated} rows=${progress.rows_ingested}`;
      if (line !== last) process.stderr.write(`${line}\n`);
      last = line;
    }
    if (progress.ended) {
      bar?.stop();
      return progress;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
