import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrationFiles, runPartition, type Pool } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';
import { dailyFileName, regshoDataset } from '@spine/regsho';
import { writeDailyFiles } from '@spine/regsho-synthetic';
import { runSpine } from '../support/spine-cli.ts';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';
import { goldenWeeks, loadGolden } from '../support/golden.ts';
import { republishDailyFile } from '../research/regsho-support.ts';

/**
 * Migrations 1290 and 1300 on a database that holds both datasets' data: the core tables' partition columns become
 * period_end, key_1 and key_2 and back again, every row of every core table and every view (OTC's and Reg SHO's
 * contract views, which keep their names and columns) reads the same in both directions, nothing is rewritten, and
 * Reg SHO's as-of function answers as before on either side.
 */
const CORE_TABLES = ['core_executions', 'core_captures', 'core_raw_files', 'core_manifest', 'core_rejects', 'core_quality',
  'core_anomalies', 'core_data_readiness', 'core_expected_schedules'] as const;
const OLD_NAMES: Record<string, string> = { period_end: 'week_ending', key_1: 'tier', key_2: 'venue_type' };

let database: RunDatabase;
let pool: Pool;
const dir = mkdtempSync(join(tmpdir(), 'generic-partition-'));
const DAYS = ['2025-01-07', '2025-01-08'];

/** Each row as sorted [column, value] pairs, the partition columns under their earlier names so both schemas compare. */
async function rowsOf(relation: string): Promise<string[]> {
  const { rows } = await pool.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM ${relation} t`);
  return rows.map(({ row }) => JSON.stringify(Object.entries(row).map(([k, v]) => [OLD_NAMES[k] ?? k, v]).sort(([a], [b]) => String(a).localeCompare(String(b))))).sort();
}

async function everything(): Promise<Record<string, string[]>> {
  const { rows: views } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1`);
  const out: Record<string, string[]> = {};
  for (const relation of [...CORE_TABLES, ...views.map((v) => v.name)]) out[relation] = await rowsOf(relation);
  out['regsho_captures_as_of'] = await rowsOf('regsho_captures_as_of(NULL)');
  return out;
}

const partitionColumns = async () => (await pool.query<{ c: string }>(
  `SELECT table_name || '.' || column_name AS c FROM information_schema.columns
    WHERE table_name = ANY ($1) AND column_name IN ('week_ending', 'tier', 'venue_type', 'period_end', 'key_1', 'key_2') ORDER BY 1`,
  [CORE_TABLES])).rows.map((r) => r.c);
const expectedColumns = (period: string, first: string, second: string) => CORE_TABLES
  .flatMap((t) => (t === 'core_expected_schedules' ? [first, second] : [period, first, second]).map((c) => `${t}.${c}`)).sort();
const fileNodes = async () => (await pool.query<{ n: string }>(
  `SELECT string_agg(pg_relation_filenode(t)::text, ',' ORDER BY t) AS n FROM unnest($1::text[]) t`, [CORE_TABLES])).rows[0]!.n;

beforeAll(async () => {
  database = await createRunDatabase('spine_generic', { migrate: true });
  pool = createPool(database.url, 3);
  await loadGolden(pool, goldenWeeks().filter((w) => w.tier === 'OTC'));
  await writeDailyFiles({ dir, days: DAYS, markets: ['Q'], symbols: 20 });
  for (const day of DAYS) {
    const loaded = await runPartition(pool, regshoDataset, { key1: 'Q', periodEnd: day, file: join(dir, 'regsho', dailyFileName('Q', day)), maxRejectShare: 0 });
    expect(loaded.status).toBe('completed');
  }
  await republishDailyFile(pool, dir, 'Q', DAYS[0]!, '2025-01-09T12:00:00Z');
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('migrations 1290 and 1300: the core tables name a partition generically', () => {
  it('renames the partition columns both ways with data loaded, every table and view reading the same', async () => {
    expect(await partitionColumns()).toEqual(expectedColumns('period_end', 'key_1', 'key_2'));
    const before = await everything();
    expect(before['core_captures']!.length).toBeGreaterThan(3);
    expect(before['otc_symbol_summary_latest']!.length).toBeGreaterThan(0);
    expect(before['regsho_daily_volume_latest']!.length).toBeGreaterThan(0);
    expect(before['regsho_captures_as_of']!.length).toBe(2);
    const nodes = await fileNodes();

    const env = { DATABASE_URL: database.url };
    // The two and every later migration are rolled back, then applied again.
    const since = (await migrationFiles(migrationDirs())).map((f) => f.name).filter((m) => m >= '1700000001290');
    expect(since.slice(0, 2)).toEqual(['1700000001290_regsho_as_of_body', '1700000001300_generic_partition_columns']);
    const down = await runSpine(['db', 'rollback', '--count', String(since.length), '--json'], env);
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toEqual({ reverted: [...since].reverse() });
    expect(await partitionColumns()).toEqual(expectedColumns('week_ending', 'tier', 'venue_type'));
    expect(await everything()).toEqual(before);
    const { rows: [body] } = await pool.query(`SELECT prosqlbody IS NULL AS text_body FROM pg_proc WHERE proname = 'regsho_captures_as_of'`);
    expect(body).toEqual({ text_body: true });

    const up = await runSpine(['db', 'migrate', '--json'], env);
    expect(JSON.parse(up.stdout)).toEqual({ applied: since });
    expect(await partitionColumns()).toEqual(expectedColumns('period_end', 'key_1', 'key_2'));
    expect(await everything()).toEqual(before);
    expect(await fileNodes()).toBe(nodes);

    // The upgraded database takes new data: a republished day is the as-of function's answer once published.
    const republished = await republishDailyFile(pool, dir, 'Q', DAYS[1]!, '2025-01-10T12:00:00Z');
    const { rows } = await pool.query<{ capture_id: string }>(`SELECT capture_id FROM regsho_captures_as_of(NULL) WHERE trade_date = $1`, [DAYS[1]]);
    expect(rows).toEqual([{ capture_id: republished.captureId }]);
  });
});
