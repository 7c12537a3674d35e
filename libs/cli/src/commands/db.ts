import type { Command } from 'commander';
import { runMigrations } from '@spine/platform';
import { migrationsDir } from '@spine/migrations';
import { printJson, withRuntime } from '../runtime.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply pending schema migrations (node-pg-migrate)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) =>
      withRuntime(async ({ env, logger }) => {
        const { applied } = await runMigrations({ databaseUrl: env.DATABASE_URL, dir: migrationsDir, logger });
        if (opts.json) printJson({ applied });
        else process.stdout.write(applied.length ? `applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}\n`).join('')}` : 'schema is up to date\n');
      }),
    );
}
