import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, runPartition, setReadiness, migrationFiles, type Pool } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';
import { dailyFileName, regshoDataset } from '@spine/regsho';
import { writeDailyFiles } from '@spine/regsho-synthetic';
import { runSpine } from '../support/spine-cli.ts';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';
import { goldenWeeks, loadGolden } from '../support/golden.ts';

/**
 * Migrations 1100 (Reg SHO's store, views, graph, policy and schedules), 1110 (its checks on the core tables) and 1120
 * (regsho_captures_as_of, its captures as published by a date): rolled back with Reg SHO and OTC data loaded, the
 * dataset leaves no row or function behind while OTC's stay; migrated up again, a day loads as before.
 */
let database: RunDatabase;
let pool: Pool;
const dir = mkdtempSync(join(tmpdir(), 'regsho-migration-'));
const DAY = '2025-01-08';

const load = () => runPartition(pool, regshoDataset, { key1: 'Q', periodEnd: DAY, file: join(dir, 'regsho', dailyFileName('Q', DAY)), maxRejectShare: 0 });
const count = async (sql: string) => (await pool.query<{ n: number }>(`SELECT (${sql})::int AS n`)).rows[0]!.n;

beforeAll(async () => {
  database = await createRunDatabase('spine_regsho', { migrate: true });
  pool = createPool(database.url, 3);
  await writeDailyFiles({ dir, days: [DAY], markets: ['Q'], symbols: 20 });
  await loadGolden(pool, goldenWeeks().filter((w) => w.tier === 'OTC'));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('migrations 1100 and 1110: Reg SHO', () => {
  it('checks its keys and reasons, rolls back with data loaded leaving OTC\'s rows, and migrates up again', async () => {
    const loaded = await load();
    expect(loaded.status).toBe('completed');
    // With no date, the captures as of are the latest captures; before the day was captured, there were none.
    expect(await count(`SELECT count(*) FROM regsho_captures_as_of(NULL)`)).toBe(1);
    expect(await count(`SELECT count(*) FROM (SELECT * FROM regsho_captures_as_of(NULL) EXCEPT SELECT * FROM regsho_latest_captures) d`)).toBe(0);
    expect(await count(`SELECT count(*) FROM regsho_captures_as_of('2025-01-07')`)).toBe(0);
    await expect(setReadiness(pool, { domain: 'regsho', periodEnd: DAY, key1: 'X', key2: '-', status: 'ready' })).rejects.toThrow(/core_data_readiness_regsho_key_check/);
    await expect(pool.query(`INSERT INTO core_rejects (domain, period_end, key_1, key_2, capture_id, stage, line_number, reason_code, reason_detail, raw_line, execution_id, batch_id, captured_at)
      VALUES ('regsho', $1, 'Q', '-', $2, 'ingest', 2, 'WEEK_MISMATCH', 'x', 'x', gen_random_uuid(), 'b', now())`, [DAY, loaded.captureId])).rejects.toThrow(/core_rejects_regsho_reason_code_check/);
    const otcCaptures = await count(`SELECT count(*) FROM core_captures WHERE domain = 'otc'`);
    expect(await count(`SELECT count(*) FROM core_expected_schedules WHERE domain = 'regsho' AND trading_calendar = 'XNYS'`)).toBe(4);

    const env = { DATABASE_URL: database.url };
    const since = (await migrationFiles(migrationDirs())).map((f) => f.name).filter((m) => m >= '1700000001100_regsho');
    const down = await runSpine(['db', 'rollback', '--count', String(since.length), '--json'], env);
    expect(down.code, down.stderr).toBe(0);
    expect(await count(`SELECT count(*) FROM pg_class WHERE relname LIKE 'regsho%' OR relname LIKE 'research_symbol_week%'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM pg_proc WHERE proname LIKE 'regsho%'`)).toBe(0);
    for (const table of ['core_captures', 'core_manifest', 'core_calc_dependencies', 'core_expected_schedules', 'core_retention_policies', 'core_batches']) {
      expect(await count(`SELECT count(*) FROM ${table} WHERE domain = 'regsho'`), table).toBe(0);
    }
    expect(await count(`SELECT count(*) FROM core_executions WHERE pipeline = 'regsho_daily'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM core_captures WHERE domain = 'otc'`)).toBe(otcCaptures);

    const up = await runSpine(['db', 'migrate', '--json'], env);
    expect(JSON.parse(up.stdout)).toEqual({ applied: since });
    const again = await load();
    expect(again).toMatchObject({ status: 'completed', revision: 1 });
    expect(await count(`SELECT count(*) FROM regsho_captures_as_of(NULL)`)).toBe(1);
    expect(await count(`SELECT count(*) FROM regsho_daily_volume_latest`)).toBe(again.stages[0]!.rowCount);
  });
});
