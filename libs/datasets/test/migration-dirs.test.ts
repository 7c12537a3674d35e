import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrationFiles } from '@spine/platform';
import { migrationsDir } from '@spine/migrations';
import { datasets, migrationDirs } from '../src/index.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Every migration name this repository has released, in order. pgmigrations on users' databases records these: a
 * name never changes and never leaves the release, whichever directory holds it.
 */
const RELEASED = [
  '1700000000000_core', '1700000000100_otc', '1700000000200_schedules', '1700000000300_leaner_indexes',
  '1700000000410_dashboard_sessions', '1700000000420_batch_close_reason', '1700000000500_venue_type',
  '1700000000600_lean_store', '1700000000610_retention_policies', '1700000000700_dashboard_session_generation',
  '1700000000800_research_access', '1700000000900_quality_alerts', '1700000000960_rolling_windows',
  '1700000000961_manifest_capture_index', '1700000000970_otc_checks_out_of_core', '1700000000980_calculation_versions',
  '1700000000990_row_count_views', '1700000001000_market_calendars', '1700000001010_schedule_periods',
  '1700000001100_regsho', '1700000001110_regsho_checks', '1700000001120_regsho_as_of', '1700000001200_schedule_period_kind',
  '1700000001290_regsho_as_of_body', '1700000001300_generic_partition_columns', '1700000001400_otc_week_venues',
];

describe('migrationDirs: the platform\'s migrations and each registered dataset\'s own', () => {
  it('lists the platform\'s directory, then each dataset package\'s migrations directory', () => {
    expect(migrationDirs()).toEqual([migrationsDir, join(ROOT, 'libs/otc/migrations'), join(ROOT, 'libs/regsho/migrations')]);
    expect(datasets.list().map((d) => d.migrationsDir)).toEqual([join(ROOT, 'libs/otc/migrations'), join(ROOT, 'libs/regsho/migrations')]);
  });

  it('holds every released migration once, under its released name, in the released order', async () => {
    const files = await migrationFiles(migrationDirs());
    expect(files.map((f) => f.name).filter((name) => name <= RELEASED.at(-1)!)).toEqual(RELEASED);
    for (const file of files) expect(file.name).toMatch(/^\d{13}_[a-z0-9_]+$/);
  });

  it('keeps in a dataset\'s package only migrations that are wholly its own', () => {
    const names = (dir: string) => readdirSync(join(ROOT, dir)).sort();
    expect(names('libs/otc/migrations')).toEqual([
      '1700000000100_otc.sql', '1700000000300_leaner_indexes.sql', '1700000000960_rolling_windows.sql',
      '1700000000970_otc_checks_out_of_core.sql', '1700000000990_row_count_views.sql', '1700000001400_otc_week_venues.sql',
    ]);
    expect(names('libs/regsho/migrations')).toEqual(['1700000001100_regsho.sql', '1700000001110_regsho_checks.sql', '1700000001120_regsho_as_of.sql',
      '1700000001290_regsho_as_of_body.sql']);
  });
});
