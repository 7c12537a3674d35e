import type { Command } from 'commander';
import { InputError } from '@spine/platform/errors';
import { printJson, withRuntime } from '../runtime.ts';

async function migrations() {
  const [{ runMigrations }, { migrationDirs }] = await Promise.all([import('@spine/platform'), import('@spine/datasets')]);
  return { runMigrations, dirs: migrationDirs() };
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply pending schema migrations (node-pg-migrate)')
    .option('--wait <seconds>', 'wait up to this long for PostgreSQL to accept connections (a server starting beside it)', '0')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { wait: string; json?: boolean }) => {
      const waitSeconds = Number(opts.wait);
      if (!Number.isInteger(waitSeconds) || waitSeconds < 0) throw new InputError(`--wait must be a whole number of seconds, 0 or more, got "${opts.wait}"`);
      await withRuntime(async ({ env, logger, pool }) => {
        if (waitSeconds > 0) await (await import('@spine/platform/db/wait-for-postgres')).waitForPostgres(pool, waitSeconds * 1000);
        const { runMigrations, dirs } = await migrations();
        const { applied } = await runMigrations({ databaseUrl: env.DATABASE_URL, dirs, logger });
        if (opts.json) printJson({ applied });
        else process.stdout.write(applied.length ? `applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}\n`).join('')}` : 'schema is up to date\n');
      });
    });
  db.command('rollback')
    .description('revert the newest applied migrations with their down migrations (stop workers first)')
    .option('--count <n>', 'how many migrations to revert', '1')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { count: string; json?: boolean }) => {
      const count = Number(opts.count);
      if (!Number.isInteger(count) || count < 1) throw new InputError(`--count must be a whole number of migrations, 1 or more, got "${opts.count}"`);
      await withRuntime(async ({ env, logger }) => {
        const { runMigrations, dirs } = await migrations();
        const { applied } = await runMigrations({ databaseUrl: env.DATABASE_URL, dirs, direction: 'down', count, logger });
        if (opts.json) printJson({ reverted: applied });
        else process.stdout.write(applied.length ? `reverted ${applied.length} migration(s):\n${applied.map((m) => `  ${m}\n`).join('')}` : 'no migration to revert\n');
      });
    });
}
