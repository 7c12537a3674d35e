import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationDirs } from '@spine/datasets';
import { createPool, migrationFiles, type Pool } from '@spine/platform';
import { promoteCalcVersion } from '@spine/platform/calcs/calc-versions';
import { DOMAIN } from '@spine/otc/calcs/calc';
import { syncDatasetCalculations } from '@spine/platform/calcs/dataset-calculations';
import { otcCalculations } from '@spine/otc/stages/otc-dataset-calculations';
import { runCalcVersion } from '@spine/otc/stages/calc-version-run';
import { runSpine } from '../support/spine-cli.ts';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';
import { goldenWeeks, loadGolden } from '../support/golden.ts';

/**
 * Migration 980 rolled back while v2 of the HHI is current: the contract view serves v1 again, with v1's lineage,
 * exactly as before the promotion; migrating up again serves the same. Its own database: the rollback drops tables.
 */
let database: RunDatabase;
let pool: Pool;

const contract = async () => (await pool.query<{ row: string }>(`SELECT t::text AS row FROM otc_symbol_concentration t ORDER BY capture_id, symbol`)).rows.map((r) => r.row);

beforeAll(async () => {
  database = await createRunDatabase('spine_calc_migration', { migrate: true });
  pool = createPool(database.url, 3);
  await loadGolden(pool, goldenWeeks().filter((w) => w.tier === 'OTC'));
  await syncDatasetCalculations(pool, DOMAIN, otcCalculations);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('migration 980 with a promoted version', () => {
  it('rolls back to v1 served with its own lineage, byte for byte, and migrates up again', async () => {
    const v1 = await contract();
    await runCalcVersion(pool, { calcName: 'otc_symbol_concentration', major: 2, weeks: [...new Set(goldenWeeks().map((w) => w.weekEnding))] });
    await promoteCalcVersion(pool, DOMAIN, 'otc_symbol_concentration', 2);
    expect(await contract()).not.toEqual(v1);

    const env = { DATABASE_URL: database.url };
    // Migration 980 and every later one, newest first.
    const since = (await migrationFiles(migrationDirs())).map((f) => f.name).filter((m) => m >= '1700000000980_calculation_versions');
    const down = await runSpine(['db', 'rollback', '--count', String(since.length), '--json'], env);
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toEqual({ reverted: [...since].reverse() });
    expect(await contract()).toEqual(v1);
    expect((await pool.query(`SELECT calc_version FROM core_calc_dependencies WHERE domain = 'otc' AND calc_name = 'otc_symbol_concentration'`)).rows)
      .toEqual([{ calc_version: 1 }]);

    const up = await runSpine(['db', 'migrate', '--json'], env);
    expect(JSON.parse(up.stdout)).toEqual({ applied: since });
    expect(await contract()).toEqual(v1);
  });
});
