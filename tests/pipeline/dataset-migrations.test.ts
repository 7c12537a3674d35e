import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, MigrationLayoutError, migrationFiles, pendingMigrations, runMigrations, type MigrationFile } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';

/**
 * A dataset's migrations live in its package (libs/otc/migrations, libs/regsho/migrations) beside the platform's
 * (libs/migrations/sql), run as one sequence: a database migrated when they were all in one directory has nothing
 * pending, and a new database migrates up in name order across the directories and all the way down again.
 */
const work = mkdtempSync(join(tmpdir(), 'dataset-migrations-'));
const databases: RunDatabase[] = [];
let files: MigrationFile[];

const appliedInOrder = async (url: string) => {
  const pool = createPool(url, 1);
  try {
    return (await pool.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id')).rows.map((r) => r.name);
  } finally {
    await pool.end();
  }
};

beforeAll(async () => {
  files = await migrationFiles(migrationDirs());
});
afterAll(async () => {
  for (const database of databases) await database.drop();
  rmSync(work, { recursive: true, force: true });
});

describe('a dataset\'s migrations in its package', () => {
  it('leaves nothing pending on a database migrated from the one directory of before', async () => {
    // The layout before: every file in one directory (its path with glob characters, which runMigrations escapes).
    const before = join(work, 'libs (before) [one dir] *? \\', 'sql');
    mkdirSync(before, { recursive: true });
    for (const file of files) copyFileSync(file.path, join(before, basename(file.path)));
    const database = await createRunDatabase('spine_layout', { migrate: false });
    databases.push(database);
    const { applied } = await runMigrations({ databaseUrl: database.url, dirs: [before] });
    expect(applied).toEqual(files.map((f) => f.name));

    const pool = createPool(database.url, 1);
    try {
      expect(await pendingMigrations(pool, migrationDirs())).toEqual([]);
    } finally {
      await pool.end();
    }
    // node-pg-migrate agrees (checkOrder compares the whole sequence with what the database applied).
    expect(await runMigrations({ databaseUrl: database.url, dirs: migrationDirs() })).toEqual({ applied: [] });
    // A brace cannot be escaped for glob in every path: such a directory is refused, never read as nothing.
    mkdirSync(join(work, '{sql}'));
    await expect(runMigrations({ databaseUrl: database.url, dirs: [join(work, '{sql}')] })).rejects.toThrow(MigrationLayoutError);
  });

  it('migrates a new database up in name order across the directories, down to nothing and up again', async () => {
    const names = files.map((f) => f.name);
    // The directories interleave: OTC's 100 comes between the platform's 000 and 200, Reg SHO's after the platform's 1010.
    expect(names.slice(0, 3)).toEqual(['1700000000000_core', '1700000000100_otc', '1700000000200_schedules']);
    expect(new Set(files.slice(0, 3).map((f) => dirname(f.path))).size).toBe(2);
    expect(new Set(files.map((f) => dirname(f.path))).size).toBe(migrationDirs().length);

    const database = await createRunDatabase('spine_layout', { migrate: false });
    databases.push(database);
    const pool = createPool(database.url, 1);
    try {
      expect(await pendingMigrations(pool, migrationDirs())).toEqual(names);
    } finally {
      await pool.end();
    }
    expect(await runMigrations({ databaseUrl: database.url, dirs: migrationDirs() })).toEqual({ applied: names });
    expect(await appliedInOrder(database.url)).toEqual(names);

    const down = await runMigrations({ databaseUrl: database.url, dirs: migrationDirs(), direction: 'down', count: Infinity });
    expect(down.applied).toEqual([...names].reverse());
    expect(await appliedInOrder(database.url)).toEqual([]);
    expect(await runMigrations({ databaseUrl: database.url, dirs: migrationDirs() })).toEqual({ applied: names });
  });
});
