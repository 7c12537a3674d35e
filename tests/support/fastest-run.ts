/**
 * The fastest of a few runs of `run`, in milliseconds, so a pause of the machine (a collection, another process)
 * does not decide a timing test; once a run took over `slowMs`, it is slow anyway and is not repeated.
 */
export function fastestMs(run: () => unknown, { runs = 7, slowMs = 50 } = {}): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
    if (best > slowMs) break;
  }
  return best;
}
