import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationLayoutError, migrationFiles } from '../src/db/migrate.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Directories under one temporary root, each holding the named files (empty). */
function dirs(layout: Record<string, string[]>): string[] {
  const root = mkdtempSync(join(tmpdir(), 'migration-files-'));
  roots.push(root);
  return Object.entries(layout).map(([dir, files]) => {
    mkdirSync(join(root, dir), { recursive: true });
    for (const file of files) writeFileSync(join(root, dir, file), '-- Up Migration\n');
    return join(root, dir);
  });
}

describe('migrationFiles: the migrations of several directories as one sequence', () => {
  it('orders them by name across directories, whatever the order of the directories', async () => {
    const [core, otc, regsho] = dirs({
      core: ['1700000000000_core.sql', '1700000000200_schedules.sql', '1700000001000_calendars.sql'],
      otc: ['1700000000100_otc.sql', '1700000000970_otc_checks.sql'],
      regsho: ['1700000001100_regsho.sql'],
    });
    const expected = ['1700000000000_core', '1700000000100_otc', '1700000000200_schedules', '1700000000970_otc_checks', '1700000001000_calendars', '1700000001100_regsho'];
    expect((await migrationFiles([core!, otc!, regsho!])).map((f) => f.name)).toEqual(expected);
    const reversed = await migrationFiles([regsho!, otc!, core!]);
    expect(reversed.map((f) => f.name)).toEqual(expected);
    expect(reversed[1]!.path).toBe(join(otc!, '1700000000100_otc.sql'));
  });

  it('takes what node-pg-migrate takes for a migration: files and links, not dot files or directories', async () => {
    const [dir] = dirs({ sql: ['1700000000000_core.sql', '.1700000000050_editor_backup.sql'] });
    mkdirSync(join(dir!, '1700000000060_not_a_file'));
    symlinkSync(join(dir!, '1700000000000_core.sql'), join(dir!, '1700000000070_linked.sql'));
    expect((await migrationFiles([dir!])).map((f) => f.name)).toEqual(['1700000000000_core', '1700000000070_linked']);
  });

  it('refuses a name found in two directories (pgmigrations records names only), naming both files', async () => {
    const [core, otc] = dirs({ core: ['1700000000000_core.sql', '1700000000100_otc.sql'], otc: ['1700000000100_otc.sql'] });
    await expect(migrationFiles([core!, otc!])).rejects.toThrow(MigrationLayoutError);
    await expect(migrationFiles([core!, otc!])).rejects.toThrow(`1700000000100_otc (${join(core!, '1700000000100_otc.sql')}, ${join(otc!, '1700000000100_otc.sql')})`);
    // A .js and a .sql of one name are one name too.
    const [mixed] = dirs({ mixed: ['1700000000100_otc.sql', '1700000000100_otc.js'] });
    await expect(migrationFiles([mixed!])).rejects.toThrow(MigrationLayoutError);
  });
});
