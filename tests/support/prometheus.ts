import { spawnSync } from 'node:child_process';

/**
 * The value of one sample in a Prometheus text exposition, found by metric name and exact label set; undefined when
 * the series is not there. Labels are compared as a set, so their order in the output does not matter.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
}

/** Where promtool is (Debian's `prometheus` package), or undefined when it is not installed. */
export function promtoolPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** `promtool check metrics` on an exposition: Prometheus's own parser and linter. Returns its exit code and output. */
export function promtoolCheckMetrics(promtool: string, text: string): { status: number | null; output: string } {
  const run = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
