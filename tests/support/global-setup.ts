import pg from 'pg';
import { runMigrations } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';
import type { TestProject } from 'vitest/node';

export interface RunDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A new database `<prefix>_<pid>_<time>` on the admin URL's server (TEST_DATABASE_ADMIN_URL or the local default),
 * migrated when asked; drop() removes it.
 */
export async function createRunDatabase(prefix: string, options: { migrate: boolean }): Promise<RunDatabase> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`integration tests need PostgreSQL at ${adminUrl} (run \`npm run stack\`): ${(error as Error).message}`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (options.migrate) await runMigrations({ databaseUrl: url.toString(), dirs: migrationDirs() });
  return {
    name,
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * One PostgreSQL database per test run (created, migrated, and dropped at the end), so concurrent runs and the
 * developer's own `spine` database never collide.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await createRunDatabase('spine_test', { migrate: true });
  project.provide('databaseUrl', database.url);
  project.provide('testRunId', database.name);
  return () => database.drop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    testRunId: string;
  }
}
