import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { datasets } from '@spine/datasets';
import { registerDbCommands } from './commands/db.ts';
import { registerRunWeek } from './commands/run-week.ts';
import { registerStatus } from './commands/status.ts';
import { registerLineage } from './commands/lineage.ts';
import { registerWorker } from './commands/worker.ts';
import { registerBackfill } from './commands/backfill.ts';
import { registerDashboard } from './commands/dashboard.ts';
import { registerScheduler } from './commands/scheduler.ts';
import { registerLag, registerSchedules } from './commands/schedules.ts';
import { registerReconcile } from './commands/reconcile.ts';
import { registerRetention } from './commands/retention.ts';
import { registerExport } from './commands/export.ts';
import { registerQuery } from './commands/query.ts';
import { registerTokens } from './commands/tokens.ts';
import { registerDatasets } from './commands/datasets.ts';
import { registerCalcs } from './commands/calcs.ts';

/** The CLI package's version (the image ships libs/cli/package.json beside the compiled code, as the checkout does). */
function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The `spine` command line (commander). Every command validates its input before it touches a service. */
export function buildProgram(): Command {
  const program = new Command('spine')
    .description('Market Spine Advanced: ingests, schedules and serves market transparency data (spine datasets lists the datasets)')
    .version(cliVersion(), '-V, --version', 'print the version of spine')
    .showHelpAfterError('(run with --help for usage)')
    // The program's own options (--version) only before a command: `spine calcs run NAME --version 2` is the command's.
    .enablePositionalOptions()
    .exitOverride();
  registerDatasets(program);
  registerDbCommands(program);
  registerRunWeek(program, datasets);
  registerStatus(program, datasets);
  registerLineage(program);
  registerWorker(program);
  registerBackfill(program, datasets);
  registerDashboard(program);
  registerScheduler(program);
  registerSchedules(program);
  registerLag(program);
  registerReconcile(program);
  registerRetention(program);
  registerQuery(program, datasets);
  registerExport(program, datasets);
  registerTokens(program);
  registerCalcs(program, datasets);
  const overrideAll = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(overrideAll);
  };
  overrideAll(program);
  return program;
}
