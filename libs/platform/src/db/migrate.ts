import { readdir } from 'node:fs/promises';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';
import type { Queryable } from './pool.ts';

export interface MigrateOptions {
  databaseUrl: string;
  dir: string;
  direction?: 'up' | 'down';
  count?: number;
  logger?: Logger;
}

export interface MigrateResult {
  applied: string[];
}

/** Applies pending migrations with node-pg-migrate; its advisory lock keeps concurrent callers from racing. */
export async function runMigrations(options: MigrateOptions): Promise<MigrateResult> {
  const { logger } = options;
  const migrations = await runner({
    databaseUrl: options.databaseUrl,
    dir: options.dir,
    direction: options.direction ?? 'up',
    count: options.count ?? Infinity,
    migrationsTable: 'pgmigrations',
    singleTransaction: true,
    checkOrder: true,
    log: (msg: string) => logger?.debug({ msg }, 'migration'),
    logger: logger
      ? { debug: () => {}, info: (m: string) => logger.debug(m), warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) }
      : { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { applied: migrations.map((m) => m.name) };
}

/**
 * The migrations in `dir` the database has not applied, in order: what this release's code expects and would not
 * find. Migrations the database has beyond `dir` (a newer release's) do not count: they are written to leave older
 * code working.
 */
export async function pendingMigrations(db: Queryable, dir: string): Promise<string[]> {
  const expected = (await readdir(dir)).filter((file) => /\.(sql|js|ts)$/.test(file)).map((file) => file.replace(/\.[^.]+$/, '')).sort();
  const { rows: table } = await db.query<{ present: boolean }>(`SELECT to_regclass('pgmigrations') IS NOT NULL AS present`);
  if (!table[0]!.present) return expected;
  const { rows } = await db.query<{ name: string }>('SELECT name FROM pgmigrations');
  const applied = new Set(rows.map((r) => r.name));
  return expected.filter((name) => !applied.has(name));
}

