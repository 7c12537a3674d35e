import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from 'pino';
import type { Queryable } from './pool.ts';

export interface MigrateOptions {
  databaseUrl: string;
  /**
   * Every directory of this release's migrations (the platform's and each dataset's: migrationDirs() of
   * `@spine/datasets`), run as one sequence in name order across all of them.
   */
  dirs: readonly string[];
  direction?: 'up' | 'down';
  count?: number;
  logger?: Logger;
}

export interface MigrateResult {
  applied: string[];
}

/** One migration file: its name (what `pgmigrations` records) and where it is. */
export interface MigrationFile {
  name: string;
  path: string;
}

/** The migration directories cannot be run as one sequence: two files share a name (pgmigrations keeps names only). */
export class MigrationLayoutError extends Error {
  override readonly name = 'MigrationLayoutError';
}

/**
 * The migrations of `dirs` as one sequence, ordered by name across the directories: the order node-pg-migrate runs
 * them in, since every name starts with a 13-digit timestamp (it compares the number, then the name). A file is what node-pg-migrate takes for one: every entry but
 * directories and names starting with a dot. Two files of one name are refused: pgmigrations records the name alone,
 * so the second would pass for applied (or the pair run twice) depending on which directory a release lists first.
 */
export async function migrationFiles(dirs: readonly string[]): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  for (const dir of dirs) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || !(entry.isFile() || entry.isSymbolicLink())) continue;
      files.push({ name: entry.name.replace(/\.[^.]+$/, ''), path: join(dir, entry.name) });
    }
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const twice = files.filter((file, i) => i > 0 && files[i - 1]!.name === file.name);
  if (twice.length > 0) {
    throw new MigrationLayoutError(`migrations of the same name in two directories: ${twice.map((f) => `${f.name} (${files.filter((g) => g.name === f.name).map((g) => g.path).join(', ')})`).join('; ')}`);
  }
  return files;
}

/**
 * A directory as a glob pattern matching itself only. glob's magic characters `* ? ( ) [ ]` become one-character
 * classes (`[*]`; parentheses are what make `+ @ !` magic) and `\` is doubled. Braces cannot be made literal:
 * glob expands a brace pair before it matches (`{a,b}`), and escaping them with `\` fails once the path also holds an
 * escaped bracket or parenthesis (glob 13 then matches nothing, and node-pg-migrate would run nothing, silently); such
 * a directory is refused instead.
 */
function globLiteral(dir: string): string {
  if (/[{}]/.test(dir)) throw new MigrationLayoutError(`a migrations directory cannot have a brace in its path (node-pg-migrate reads it as a glob pattern): ${dir}`);
  return dir.replace(/[*?()[\]]/g, '[$&]').replace(/\\/g, '\\\\');
}

/**
 * Applies pending migrations with node-pg-migrate; its advisory lock keeps concurrent callers from racing. The
 * directories go to node-pg-migrate as glob patterns (`dir` as an array with `useGlob`, its documented way to read
 * several): it sorts the files of all of them by name into one run, so checkOrder still compares that one sequence
 * with pgmigrations.
 */
export async function runMigrations(options: MigrateOptions): Promise<MigrateResult> {
  const { logger } = options;
  const patterns = options.dirs.map((dir) => `${globLiteral(dir)}/*`);
  // Refuses two files of one name before node-pg-migrate sees them (it would take both).
  await migrationFiles(options.dirs);
  const migrations = await runner({
    databaseUrl: options.databaseUrl,
    dir: patterns,
    useGlob: true,
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
 * The migrations in `dirs` the database has not applied, in order: what this release's code expects and would not
 * find. Migrations the database has beyond `dirs` (a newer release's) do not count: they are written to leave older
 * code working. Only names count, so a migration that moved to another directory (a dataset's package) is applied.
 */
export async function pendingMigrations(db: Queryable, dirs: readonly string[]): Promise<string[]> {
  const expected = (await migrationFiles(dirs)).map((file) => file.name);
  const { rows: table } = await db.query<{ present: boolean }>(`SELECT to_regclass('pgmigrations') IS NOT NULL AS present`);
  if (!table[0]!.present) return expected;
  const { rows } = await db.query<{ name: string }>('SELECT name FROM pgmigrations');
  const applied = new Set(rows.map((r) => r.name));
  return expected.filter((name) => !applied.has(name));
}
