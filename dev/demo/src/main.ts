/**
 * `npm run demo` from the checkout: the Quick start's main job, end to end (local stack, FINRA stand-in, two workers,
 * the dashboard, a 6-week x 3-tier backfill). A development command, not one of `spine`: it starts the test doubles
 * and the local stack, which the runtime image leaves out.
 *   npm run demo -- [--once] [--scheduler] [--json]        (tsx dev/demo/src/main.ts ...)
 * Exit code: 0 when every week of the batch completed, 1 when one failed or was gated, 2 for bad flags.
 */
import { Command } from 'commander';
import { reportFailure } from '@spine/cli/runtime';
import { runDemo, type DemoOptions } from './run-demo.ts';

const program = new Command('demo')
  .usage('[--once] [--scheduler] [--json]   (npm run demo -- ...)')
  .description('the main job, end to end: local stack, FINRA stand-in, two workers, a 6-week x 3-tier backfill')
  .option('--once', 'exit after the summary (the default without a terminal)')
  .option('--scheduler', 'also run a scheduler replica (it follows the real publication calendar, which the stand-in does not serve)')
  .option('--json', 'print the summary as JSON')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .action((opts: DemoOptions) => runDemo(opts));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exit(reportFailure(error, { json: process.argv.includes('--json') }));
}
