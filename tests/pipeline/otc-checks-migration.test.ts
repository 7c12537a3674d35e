import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, setReadiness, migrationFiles, type Pool } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';
import { runSpine } from '../support/spine-cli.ts';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';
import { goldenWeeks, loadGolden } from '../support/golden.ts';

/**
 * Migration 970 moves OTC's checks (venue types, reject reasons) off the core tables into constraints scoped to OTC's
 * rows: another dataset's rows carry their own keys, OTC's rows are checked as before, and a rollback with another
 * dataset's rows present refuses instead of deleting them.
 */
let database: RunDatabase;
let pool: Pool;

const readiness = (domain: string, venueType: string) =>
  setReadiness(pool, { domain, periodEnd: '2025-12-05', key1: 'X', key2: venueType, status: 'ready' });

beforeAll(async () => {
  database = await createRunDatabase('spine_checks', { migrate: true });
  pool = createPool(database.url, 3);
  await loadGolden(pool, goldenWeeks().filter((w) => w.tier === 'OTC'));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('migration 970: OTC\'s checks scoped to OTC\'s rows', () => {
  it('takes another dataset\'s keys, still refuses OTC rows of no venue type, and rolls back only without other datasets\' rows', async () => {
    const env = { DATABASE_URL: database.url };
    await readiness('other_dataset', 'N');
    await expect(readiness('otc', 'DARK')).rejects.toThrow(/core_data_readiness_otc_venue_type_check/);
    await expect(pool.query(`UPDATE core_rejects SET reason_code = 'NOT_A_REASON' WHERE domain = 'otc'`)).rejects.toThrow(/core_rejects_otc_reason_code_check/);

    const since = (await migrationFiles(migrationDirs())).map((f) => f.name).filter((m) => m >= '1700000000970_otc_checks_out_of_core');
    const refused = await runSpine(['db', 'rollback', '--count', String(since.length)], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/rows of datasets other than otc exist/);

    await pool.query(`DELETE FROM core_data_readiness WHERE domain = 'other_dataset'`);
    const down = await runSpine(['db', 'rollback', '--count', String(since.length), '--json'], env);
    expect(down.code, down.stderr).toBe(0);
    // Below migration 1300 the core tables name their partition columns week_ending, tier and venue_type.
    await expect(pool.query(`INSERT INTO core_data_readiness (domain, week_ending, tier, venue_type, status, capture_id, ready_at, detail)
      VALUES ('other_dataset', '2025-12-05', 'X', 'N', 'ready', NULL, now(), '{}')`)).rejects.toThrow(/core_data_readiness_venue_type_check/);
    const up = await runSpine(['db', 'migrate', '--json'], env);
    expect(JSON.parse(up.stdout)).toEqual({ applied: since });
    await readiness('other_dataset', 'N');
  });
});
