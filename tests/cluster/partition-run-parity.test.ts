import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINRA_HEADER } from '@spine/otc';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { testPool, resetData } from '../support/database.ts';
import { TestCluster } from '../support/cluster.ts';
import { runSpine, type SpineRun } from '../support/spine-cli.ts';

// The same week run by `spine run-week` (in-process) and by the worker cluster (`spine backfill` of that week) ends
// with the same batch status, close reason and readiness: both record it through runPartition's partition-outcome.
const TIER = 'NMS_TIER_1';
const GOOD_WEEK = '2025-12-05';
const GATED_WEEK = '2025-12-12';
const pool = testPool();
const cluster = new TestCluster();
const dir = mkdtempSync(join(tmpdir(), 'spine-parity-'));
const fileOf = (week: string) => join(dir, TIER, `${week}.psv`);

const line = (symbol: string, shares: string) => `NMS Tier 1|${symbol}|Issue ${symbol}|Venue NITE|NITE|${shares}|3|2025-12-29`;

beforeAll(async () => {
  await writeWeekFile(fileOf(GOOD_WEEK), { tier: TIER, weekEnding: GOOD_WEEK, rows: 40, seed: 7 });
  // 3 of 6 lines rejected, far over the default gate (5%).
  mkdirSync(join(dir, TIER), { recursive: true });
  writeFileSync(fileOf(GATED_WEEK),
    `${FINRA_HEADER}\n${[line('AAA', '100'), line('BBB', '200'), line('CCC', '300'), 'broken|line', 'also|broken', line('NEG', '-1')].join('\n')}\n`);
  await cluster.start({ SOURCE_DIR_ALLOWLIST: dir });
  await cluster.spawnWorker();
});
afterAll(async () => {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
  await pool.end();
});

/** The CLI with the cluster's settings and the default gate. */
function spine(args: string[]): Promise<SpineRun> {
  return runSpine(args, cluster.env, ['QUALITY_MAX_REJECT_SHARE']);
}

interface Recorded {
  batches: { status: string; close_reason: string | null; finished: boolean }[];
  readiness: { week_ending: string; status: string; capture_id: string | null; ready: boolean; of_batch: boolean }[];
  weeks: { week_ending: string; status: string }[];
}

/** What a run left behind, without its ids and times: its batch, its week executions and the weeks' readiness. */
async function recorded(): Promise<Recorded> {
  const batches = (await pool.query(`SELECT status, close_reason, finished_at IS NOT NULL AS finished FROM core_batches ORDER BY created_at`)).rows;
  const readiness = (await pool.query(
    `SELECT to_char(r.period_end, 'YYYY-MM-DD') AS week_ending, r.status, r.capture_id, r.ready_at IS NOT NULL AS ready,
            EXISTS (SELECT 1 FROM core_batches b WHERE b.batch_id = r.detail->>'batch_id') AS of_batch
       FROM core_data_readiness r ORDER BY r.period_end`)).rows;
  const weeks = (await pool.query(`SELECT to_char(period_end, 'YYYY-MM-DD') AS week_ending, status FROM core_executions WHERE stage = 'week' ORDER BY period_end`)).rows;
  return { batches, readiness, weeks };
}

async function viaRunWeek(weeks: string[]): Promise<{ codes: number[]; recorded: Recorded }> {
  await resetData(pool);
  const codes = [];
  for (const week of weeks) codes.push((await spine(['run-week', '--tier', TIER, '--week', week, '--file', fileOf(week)])).code);
  return { codes, recorded: await recorded() };
}

async function viaWorker(from: string, to: string): Promise<{ code: number; recorded: Recorded }> {
  await resetData(pool);
  await cluster.clearQueues();
  const result = await spine(['backfill', '--tier', TIER, '--venue-type', 'ATS', '--from', from, '--to', to, '--source', `dir:${dir}`, '--wait']);
  return { code: result.code, recorded: await recorded() };
}

describe('one partition run, from the command line or by the worker', () => {
  it('a normal week: completed batch, ready week, either way', async () => {
    const cli = await viaRunWeek([GOOD_WEEK]);
    const worker = await viaWorker(GOOD_WEEK, GOOD_WEEK);
    expect(cli.codes).toEqual([0]);
    expect(worker.code).toBe(0);
    expect(cli.recorded.batches).toEqual([{ status: 'completed', close_reason: null, finished: true }]);
    expect(cli.recorded.readiness).toEqual([{ week_ending: GOOD_WEEK, status: 'ready', capture_id: expect.any(String), ready: true, of_batch: true }]);
    expect(worker.recorded).toEqual(cli.recorded);
  });

  it('a gated week: partial batch naming the gate, gated week, either way (exit 3 both)', async () => {
    const cli = await viaRunWeek([GATED_WEEK]);
    const worker = await viaWorker(GATED_WEEK, GATED_WEEK);
    expect(cli.codes).toEqual([3]);
    expect(worker.code).toBe(3);
    expect(cli.recorded.batches).toEqual([{ status: 'partial', close_reason: `ingest: the quality gate stopped ${TIER} ATS ${GATED_WEEK}`, finished: true }]);
    expect(cli.recorded.readiness).toEqual([{ week_ending: GATED_WEEK, status: 'gated', capture_id: expect.any(String), ready: false, of_batch: true }]);
    expect(cli.recorded.weeks).toEqual([{ week_ending: GATED_WEEK, status: 'gated' }]);
    expect(worker.recorded).toEqual(cli.recorded);
  });

  it('a backfill of both weeks leaves each week the readiness run-week leaves it, its windows run', async () => {
    const cli = await viaRunWeek([GOOD_WEEK, GATED_WEEK]);
    const worker = await viaWorker(GOOD_WEEK, GATED_WEEK);
    expect(worker.code).toBe(3);
    expect(worker.recorded.readiness).toEqual(cli.recorded.readiness);
    expect(worker.recorded.weeks).toEqual(cli.recorded.weeks);
    // One batch of two weeks, partial: the batch job's reason counts the weeks.
    expect(worker.recorded.batches).toEqual([{ status: 'partial', close_reason: 'of 2 weeks, 1 stopped at the quality gate and 0 failed', finished: true }]);
  });
});
