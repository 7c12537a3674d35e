import type { Command } from 'commander';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the main job, end to end: local stack, FINRA stand-in, two workers, a 6-week x 3-tier backfill')
    .option('--once', 'exit after the summary (the default without a terminal)')
    .option('--scheduler', 'also run a scheduler replica (it follows the real publication calendar, which the stand-in does not serve)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { once?: boolean; json?: boolean; scheduler?: boolean }) => (await import('../demo/run-demo.ts')).runDemo(opts));
}
