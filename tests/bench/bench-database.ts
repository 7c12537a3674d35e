import pg from 'pg';
import { runMigrations } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';

/** A throwaway, migrated database on the server of DATABASE_URL (or the local default); drop() removes it. */
export async function benchDatabase(label: string, migrate: (url: string) => Promise<unknown> = (url) => runMigrations({ databaseUrl: url, dirs: migrationDirs() })): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const name = `spine_bench_${label}_${process.pid}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
