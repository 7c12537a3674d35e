import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrationFiles, type Pool } from '@spine/platform';
import { migrationDirs } from '@spine/datasets';
import { loadSchedules } from '@spine/scheduling';
import { runSpine } from '../support/spine-cli.ts';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';

/**
 * Migrations 1000, 1010 and 1200: trading calendars, and schedules of trading days beside the weekly ones. A schedule of
 * trading days has no weekday; a weekly one must keep its own; the rollback refuses while trading-day schedules exist
 * rather than delete them. 1200 names each schedule's period kind (weeks, trading days, months): the trading-day ones
 * from their calendar, months beside them, and a rollback that refuses while schedules of months exist.
 */
let database: RunDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createRunDatabase('spine_sched', { migrate: true });
  pool = createPool(database.url, 3);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const insert = (calendar: string | null, weekday: number | null, kind = calendar ? 'trading_day' : 'week', domain = 'daily_test') => pool.query(
  `INSERT INTO core_expected_schedules (domain, stage, key_1, key_2, expected_day_of_week, expected_time, tolerance_hours, publication_lag_weeks, trading_calendar, period_kind)
   VALUES ($4, 'sum', 'Q', 'ALL', $2, '18:00', 6, 0, $1, $3)`, [calendar, weekday, kind, domain]);

describe('migration 1010: schedules of trading days', () => {
  it('keeps the weekly schedules as they were, takes a trading-day one, and rolls back only without it', async () => {
    const weekly = (await loadSchedules(pool, { includeDisabled: true })).filter((s) => s.domain === 'otc');
    expect(weekly.length).toBeGreaterThan(0);
    expect(weekly.every((s) => s.trading_calendar === null && s.expected_day_of_week === 1)).toBe(true);
    await expect(insert(null, null)).rejects.toThrow(/core_expected_schedules_weekday_check/);
    await expect(insert('XLON', null)).rejects.toThrow(/foreign key/);
    await insert('XNYS', null);
    expect((await loadSchedules(pool)).find((s) => s.domain === 'daily_test')).toMatchObject({ trading_calendar: 'XNYS', expected_day_of_week: null });

    const env = { DATABASE_URL: database.url };
    const since = (await migrationFiles(migrationDirs())).map((f) => f.name).filter((m) => m >= '1700000001010_schedule_periods');
    const refused = await runSpine(['db', 'rollback', '--count', String(since.length)], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/schedules of trading days, which the earlier schema cannot express/);

    await pool.query(`DELETE FROM core_expected_schedules WHERE domain = 'daily_test'`);
    const down = await runSpine(['db', 'rollback', '--count', String(since.length), '--json'], env);
    expect(down.code, down.stderr).toBe(0);
    const { rows: [column] } = await pool.query(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'core_expected_schedules' AND column_name = 'expected_day_of_week'`);
    expect(column).toEqual({ is_nullable: 'NO' });
    const up = await runSpine(['db', 'migrate', '--json'], env);
    expect(JSON.parse(up.stdout)).toEqual({ applied: since });
  });
});

describe('migration 1200: the period kind of each schedule', () => {
  it('reads weeks and trading days from what was there, takes months, and rolls back only without them', async () => {
    const kinds = (await loadSchedules(pool, { includeDisabled: true })).map((s) => `${s.domain} ${s.period_kind} ${s.trading_calendar ?? '-'}`);
    expect(new Set(kinds)).toEqual(new Set(['otc week -', 'regsho trading_day XNYS']));
    await expect(insert('XNYS', null, 'week', 'monthly_test')).rejects.toThrow(/core_expected_schedules_calendar_check/);
    await expect(insert(null, null, 'trading_day', 'monthly_test')).rejects.toThrow(/core_expected_schedules_calendar_check/);
    await expect(insert(null, null, 'quarter', 'monthly_test')).rejects.toThrow(/core_expected_schedules_period_kind_check/);
    await insert(null, null, 'month', 'monthly_test');
    expect((await loadSchedules(pool)).find((s) => s.domain === 'monthly_test')).toMatchObject({ period_kind: 'month', trading_calendar: null, expected_day_of_week: null });

    const env = { DATABASE_URL: database.url };
    // 1200 and the migrations after it, reverted newest first (in one transaction: a refusal reverts none).
    const since = (await migrationFiles(migrationDirs())).map((f) => f.name).filter((m) => m >= '1700000001200_schedule_period_kind');
    const refused = await runSpine(['db', 'rollback', '--count', String(since.length)], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/schedules of months, which the earlier schema cannot express/);
    await pool.query(`DELETE FROM core_expected_schedules WHERE domain = 'monthly_test'`);
    const down = await runSpine(['db', 'rollback', '--count', String(since.length), '--json'], env);
    expect(down.code, down.stderr).toBe(0);
    const { rows } = await pool.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'core_expected_schedules' AND column_name = 'period_kind'`);
    expect(rows).toEqual([]);
    const up = await runSpine(['db', 'migrate', '--json'], env);
    expect(JSON.parse(up.stdout)).toEqual({ applied: since });
    expect((await loadSchedules(pool, { includeDisabled: true })).filter((s) => s.domain === 'regsho').every((s) => s.period_kind === 'trading_day')).toBe(true);
  });
});
