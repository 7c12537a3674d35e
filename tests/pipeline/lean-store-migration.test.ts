import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrationFiles, type Pool } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';
import { join } from 'node:path';
import { runWeek } from '@spine/otc';
import { runSpine } from '../support/spine-cli.ts';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE, goldenWeeks, loadGolden } from '../support/golden.ts';
import { OTC_TABLES } from '../support/tables.ts';

/**
 * Migration 600 (the lean store) on a database that holds data: its down migration turns the views back into the
 * tables of migration 500 with the same rows, and its up migration moves those rows into the lean store, lineage
 * included, so readers see what they saw before.
 */
let database: RunDatabase;
let pool: Pool;

/** Every row of every OTC table or view, lineage included, in a stable order. */
async function everything(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of OTC_TABLES) {
    const { rows } = await pool.query(`SELECT to_jsonb(t) AS row FROM ${table} t`);
    // Column order may differ between a table and its view: compare rows as sorted key/value lists.
    out[table] = rows.map((r) => JSON.stringify(Object.entries(r.row).sort(([a], [b]) => a.localeCompare(b)))).sort();
  }
  return out;
}

beforeAll(async () => {
  database = await createRunDatabase('spine_migration', { migrate: true });
  pool = createPool(database.url, 3);
  await loadGolden(pool, goldenWeeks().filter((w) => w.tier === 'NMS_TIER_1' || w.tier === 'OTC'));
  // Both venue types of one OTC week, so that the ATS share has rows to move.
  await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', venueType: 'NON_ATS', file: join(GOLDEN_DIR, 'OTC', 'NON_ATS', '2025-12-05.psv'),
    maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('migration 600 on a database with data', () => {
  it('moves every row between the tables of migration 500 and the lean store, both ways (spine db rollback, spine db migrate)', async () => {
    const before = await everything();
    expect(before.otc_raw!.length).toBeGreaterThan(0);
    expect(before.otc_research_snapshot!.length).toBeGreaterThan(0);
    expect(before.otc_symbol_ats_share!.length).toBeGreaterThan(0);

    const env = { DATABASE_URL: database.url };
    const refused = await runSpine(['db', 'rollback', '--count', '0'], env);
    expect([refused.code, refused.stderr.trim()]).toEqual([2, 'error: --count must be a whole number of migrations, 1 or more, got "0"']);
    // Migration 600 and every later one, newest first.
    const sinceLeanStore = (await migrationFiles(migrationDirs())).map((f) => f.name).filter((m) => m >= '1700000000600_lean_store');
    expect(sinceLeanStore.slice(0, 5)).toEqual(['1700000000600_lean_store', '1700000000610_retention_policies', '1700000000700_dashboard_session_generation', '1700000000800_research_access', '1700000000900_quality_alerts']);
    const down = await runSpine(['db', 'rollback', '--count', String(sinceLeanStore.length), '--json'], env);
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toEqual({ reverted: [...sinceLeanStore].reverse() });
    const { rows: kinds } = await pool.query(`SELECT table_type FROM information_schema.tables WHERE table_name = 'otc_raw'`);
    expect(kinds).toEqual([{ table_type: 'BASE TABLE' }]);
    expect(await everything()).toEqual(before);

    const up = await runSpine(['db', 'migrate', '--json'], env);
    expect(JSON.parse(up.stdout)).toEqual({ applied: sinceLeanStore });
    expect(await everything()).toEqual(before);
    // Migration 800 gives the captures already loaded FINRA's lastUpdateDate from their lines.
    const { rows: dates } = await pool.query(`SELECT DISTINCT finra_last_update_date IS NOT NULL AND published_on = finra_last_update_date AS dated FROM core_captures`);
    expect(dates).toEqual([{ dated: true }]);
  });
});
