import pg from 'pg';
import { runMigrations } from '@spine/platform';
import { migrationsDir } from '@spine/migrations';
import type { TestProject } from 'vitest/node';

/**
 * One PostgreSQL database per test run (created, migrated, and dropped at the end), so concurrent runs and the
 * developer's own `spine` database never collide. The admin URL comes from TEST_DATABASE_ADMIN_URL or the local default.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `spine_test_${process.pid}_${Date.now().toString(36)}`;
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
  const databaseUrl = url.toString();
  await runMigrations({ databaseUrl, dir: migrationsDir });
  project.provide('databaseUrl', databaseUrl);
  project.provide('testRunId', name);

  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    testRunId: string;
  }
}
