import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { datasets } from '@spine/datasets';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { loadTradingCalendar, type Pool } from '@spine/platform';
import { dailyFileName } from '@spine/regsho';
import { GENERATED_MARKETS, writeDailyFiles } from '@spine/regsho-synthetic';
import { queueEnqueuer, runTick, type TickResult } from '@spine/scheduling';
import { resetData, testPool } from '../support/database.ts';
import { saveSchedules } from '../support/schedules.ts';
import { TestCluster } from '../support/cluster.ts';
import { runSpine } from '../support/spine-cli.ts';

/**
 * Reg SHO's daily short-sale volume through the real cluster: FINRA's stand-in serving generated daily files of
 * January 2025 (20 trading days: New Year's Day, Martin Luther King Jr. Day and the unscheduled closure of 2025-01-09
 * have none), `spine backfill` of the month through the Query API and two worker processes, and the scheduler's tick
 * on a simulated clock across the week of the closure. Each facility's day is published at 18:00 New York time,
 * 23:00 UTC in January.
 */
const pool: Pool = testPool();
const cluster = new TestCluster();
const fixtures = mkdtempSync(join(tmpdir(), 'spine-regsho-'));
const logger = pino({ level: 'silent' });
let standIn: FinraStandIn;
let tradingDays: string[];
let restoreSchedules = async () => {};

beforeAll(async () => {
  const calendar = await loadTradingCalendar(pool, 'XNYS');
  tradingDays = calendar.tradingDays('2025-01-01', '2025-01-31');
  await writeDailyFiles({ dir: fixtures, days: tradingDays, symbols: 30, seed: 11 });
  standIn = await startFinraStandIn({ fixturesDir: fixtures, logger, today: () => '2025-02-03' });
  await cluster.start({ FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl, FINRA_MAX_ATTEMPTS: '2', FETCH_ATTEMPTS: '1' });
  await resetData(pool);
  restoreSchedules = await saveSchedules(pool);
  await cluster.spawnWorker();
  await cluster.spawnWorker();
});
afterAll(async () => {
  await restoreSchedules();
  await cluster.stop();
  await standIn?.close();
  rmSync(fixtures, { recursive: true, force: true });
  await pool.end();
});

/** Hundredths: the generated volumes carry at most two decimals, so sums compare exactly. */
const cents = (text: string) => Math.round(Number(text) * 100);

/** Per trading day and symbol, short and total volume summed over the facilities' files. */
function fileTotals(days: string[]): Map<string, string> {
  const totals = new Map<string, [number, number]>();
  for (const day of days) {
    for (const market of GENERATED_MARKETS) {
      for (const line of readFileSync(join(fixtures, 'regsho', dailyFileName(market, day)), 'utf8').trimEnd().split('\n').slice(1, -1)) {
        const [, symbol, short, , total] = line.split('|');
        const sums = totals.get(`${day} ${symbol}`) ?? [0, 0];
        totals.set(`${day} ${symbol}`, [sums[0] + cents(short!), sums[1] + cents(total!)]);
      }
    }
  }
  return new Map([...totals].map(([key, [short, total]]) => [key, `${short} ${total}`]));
}

/** The same from regsho_symbol_daily_latest. */
async function loadedTotals(from: string, to: string): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ key: string; short: string; total: string }>(
    `SELECT to_char(trade_date, 'YYYY-MM-DD') || ' ' || symbol AS key, short_volume::text AS short, total_volume::text AS total
       FROM regsho_symbol_daily_latest WHERE trade_date BETWEEN $1 AND $2`, [from, to]);
  return new Map(rows.map((r) => [r.key, `${cents(r.short)} ${cents(r.total)}`]));
}

describe('Reg SHO daily short-sale volume through the cluster', () => {
  it('loads a month of trading days through FINRA\'s Query API from spine backfill, every facility, per-symbol totals equal to the files', async () => {
    const run = await runSpine(['backfill', '--dataset', 'regsho', '--from', '2025-01-02', '--to', '2025-01-31', '--wait', '--json'], cluster.env);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { enqueued: unknown[]; progress: { status: string; weeks_done: number; weeks_failed: number } };
    // Every market code of every trading day: FINRA lists each day as published, and O (the OTC reporting facility,
    // which the generated days have no file of) answers no records on a published day: a day without short sales.
    expect(tradingDays).toHaveLength(20);
    expect(result.enqueued).toHaveLength(20 * 5);
    expect(result.progress, JSON.stringify(result.progress)).toMatchObject({ status: 'completed', weeks_done: 100, weeks_failed: 0 });
    const perFacility = await pool.query(`SELECT market_code, count(DISTINCT trade_date)::int AS days FROM regsho_daily_volume_latest GROUP BY 1 ORDER BY 1`);
    expect(perFacility.rows).toEqual(['B', 'D', 'N', 'Q'].map((market_code) => ({ market_code, days: 20 })));
    const ready = await pool.query(`SELECT key_1 AS tier, count(*)::int AS n FROM core_data_readiness WHERE domain = 'regsho' AND status = 'ready' GROUP BY 1 ORDER BY 1`);
    expect(ready.rows).toEqual(['B', 'D', 'N', 'O', 'Q'].map((tier) => ({ tier, n: 20 })));
    expect(await loadedTotals('2025-01-01', '2025-01-31')).toEqual(fileTotals(tradingDays));
    // Nothing is loaded for a day the exchange was closed.
    expect((await pool.query(`SELECT count(*)::int AS n FROM regsho_daily_volume WHERE trade_date IN ('2025-01-01', '2025-01-09', '2025-01-20')`)).rows[0].n).toBe(0);
  }, 240_000);

  it('expects each trading day once it is published, never the closed one, across the week of 2025-01-09', async () => {
    await resetData(pool);
    await cluster.clearQueues();
    await pool.query(`UPDATE core_expected_schedules SET enabled = (domain = 'regsho' AND key_1 IN ('N', 'Q')), lookback_weeks = 3, source = 'finra'`);
    const queues = cluster.queues(pool);
    try {
      const deps = { pool, datasets, enqueuer: queueEnqueuer(queues, 0.05), sinks: [], logger, revisionCheckHours: 24 };
      const missing = (r: TickResult) => r.enqueued.filter((e) => e.reason === 'missing').map((e) => `${e.week_ending} ${e.tier}`).sort();
      const tick = async (iso: string) => {
        const result = await runTick(deps, new Date(iso));
        for (const id of result.batch_ids) await cluster.waitForBatch(pool, id, 60_000);
        return result;
      };
      const lagOf = (r: TickResult, tier: string) => r.lag.find((l) => l.tier === tier);

      // A minute before Wednesday's file is due: the three trading days before it (lookback 3).
      expect(missing(await tick('2025-01-08T22:59:00Z'))).toEqual(['2025-01-03 N', '2025-01-03 Q', '2025-01-06 N', '2025-01-06 Q', '2025-01-07 N', '2025-01-07 Q']);
      expect(missing(await tick('2025-01-08T23:01:00Z'))).toEqual(['2025-01-08 N', '2025-01-08 Q']);
      // Thursday 2025-01-09 the exchange was closed: nothing is due, nothing is late.
      const closed = await tick('2025-01-09T23:30:00Z');
      expect(missing(closed)).toEqual([]);
      expect(lagOf(closed, 'Q')).toMatchObject({ missing_weeks: [] });
      expect(closed.alerts).toEqual([]);
      // Friday's file, once due.
      const friday = await tick('2025-01-10T23:01:00Z');
      expect(missing(friday)).toEqual(['2025-01-10 N', '2025-01-10 Q']);
      const loaded = await pool.query(`SELECT DISTINCT to_char(trade_date, 'YYYY-MM-DD') AS day, market_code FROM regsho_daily_volume_latest ORDER BY 1, 2`);
      expect(loaded.rows.map((r) => `${r.day} ${r.market_code}`)).toEqual(
        ['2025-01-03', '2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10'].flatMap((d) => [`${d} N`, `${d} Q`]));
    } finally {
      await queues.close();
    }
  }, 240_000);
});

