import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';

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
