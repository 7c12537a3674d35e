import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { queueEnqueuer, runTick, type TickResult } from '@spine/scheduling';
import { resetData } from '../support/database.ts';
import { saveSchedules } from '../support/schedules.ts';
import { count } from '../support/tables.ts';
import { TestCluster } from '../support/cluster.ts';
import { testPool } from '../support/database.ts';
import { datasets } from '@spine/datasets';

/**
 * The scheduler's tick at chosen times, through the production enqueuer, the real queues and a real `spine worker`
 * process reading a directory source. Only NMS Tier 1 is scheduled: published 2 weeks after the week ends, on the
 * first Monday on or after, at 09:00 New York time (14:00 UTC in November and December), looking back 2 weeks and
 * re-checking the newest due week for revisions. Every expected week below is worked out by hand from that rule:
 *   week ending 2025-10-31 -> due Mon 2025-11-17 14:00Z      2025-11-21 -> due Mon 2025-12-08 14:00Z
 *               2025-11-07 -> due Mon 2025-11-24 14:00Z      2025-11-28 -> due Mon 2025-12-15 14:00Z
 *               2025-11-14 -> due Mon 2025-12-01 14:00Z
 */
const pool = testPool();
const cluster = new TestCluster();
const dir = mkdtempSync(join(tmpdir(), 'spine-queued-sim-'));
const logger = pino({ level: 'silent' });
const T1 = 'NMS_TIER_1';
let restoreSchedules = async () => {};
let queues: ReturnType<TestCluster['queues']>;

const weekFile = (week: string, seed = 1) => writeWeekFile(join(dir, T1, `${week}.psv`), { tier: T1, weekEnding: week, rows: 30, seed });

beforeAll(async () => {
  for (const week of ['2025-10-31', '2025-11-07', '2025-11-14']) await weekFile(week);
  // One attempt per fetch: a week whose file is not there yet fails at once instead of after minutes of retries.
  await cluster.start({ SOURCE_DIR_ALLOWLIST: dir, FETCH_ATTEMPTS: '1' });
  await resetData(pool);
  restoreSchedules = await saveSchedules(pool);
  await pool.query(`UPDATE core_expected_schedules SET enabled = (key_1 = $1 AND key_2 = 'ATS'), lookback_weeks = 2, revision_lookback_weeks = 1, tolerance_hours = 24, source = $2`, [T1, `dir:${dir}`]);
  queues = cluster.queues(pool);
  await cluster.spawnWorker();
});
afterAll(async () => {
  await restoreSchedules();
  await queues?.close();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
  await pool.end();
});

const deps = () => ({ pool, datasets, enqueuer: queueEnqueuer(queues, 0.05), sinks: [], logger, revisionCheckHours: 24 });
const tick = (iso: string) => runTick(deps(), new Date(iso));
const enqueued = (result: TickResult) => result.enqueued.map((e) => `${e.week_ending} ${e.reason}`).sort();

async function settled(result: TickResult) {
  expect(result.batch_ids).toHaveLength(1);
  return cluster.waitForBatch(pool, result.batch_ids[0]!);
}

/**
 * A tick, and `check` of what it wrote while the fetch queue is paused: the worker's fetch of a week it enqueued whose
 * file is not there yet fails at once and marks the week failed, which would otherwise race the check.
 */
async function tickBeforeFetch(iso: string, check: (result: TickResult) => Promise<void>): Promise<TickResult> {
  await queues.fetchQueue.pause();
  try {
    const result = await tick(iso);
    await check(result);
    return result;
  } finally {
    await queues.fetchQueue.resume();
  }
}

async function readiness(week: string): Promise<string | undefined> {
  const { rows } = await pool.query(`SELECT status FROM core_data_readiness WHERE key_1 = $1 AND period_end = $2`, [T1, week]);
  return rows[0]?.status;
}

const revisions = async (week: string) =>
  (await pool.query(`SELECT revision FROM core_captures WHERE key_1 = $1 AND period_end = $2 ORDER BY revision`, [T1, week])).rows.map((r) => r.revision);

describe('the scheduler through the real queues and a worker process', () => {
  it('enqueues each week as it falls due, re-fetches for revisions every 24 h, retries a week that was not there yet, and tracks readiness', async () => {
    // A minute before 2025-11-14 is due: the two weeks before it.
    const a = await tick('2025-12-01T13:59:00Z');
    expect(enqueued(a)).toEqual(['2025-10-31 missing', '2025-11-07 missing']);
    expect(await settled(a)).toMatchObject({ status: 'completed', weeks_done: 2 });

    const b = await tick('2025-12-01T14:01:00Z');
    expect(enqueued(b)).toEqual(['2025-11-14 missing']);
    expect(await settled(b)).toMatchObject({ status: 'completed', weeks_done: 1 });

    // Revision re-fetch: the newest due week, once complete, is fetched again; the same content is no new revision.
    const c = await tick('2025-12-01T15:00:00Z');
    expect(enqueued(c)).toEqual(['2025-11-14 revision_check']);
    expect(await settled(c)).toMatchObject({ status: 'completed' });
    expect(await revisions('2025-11-14')).toEqual([1]);
    // Not again within REVISION_CHECK_HOURS (24) of that check...
    expect(enqueued(await tick('2025-12-02T14:59:00Z'))).toEqual([]);
    // ...and at 24 h it is, now finding a revised file: a second capture, which the latest views follow.
    await weekFile('2025-11-14', 2);
    const e = await tick('2025-12-02T15:00:00Z');
    expect(enqueued(e)).toEqual(['2025-11-14 revision_check']);
    expect(await settled(e)).toMatchObject({ status: 'completed' });
    expect(await revisions('2025-11-14')).toEqual([1, 2]);
    const latest = await pool.query(`SELECT DISTINCT c.revision FROM otc_symbol_summary_latest s JOIN core_captures c USING (capture_id) WHERE s.week_ending = '2025-11-14'`);
    expect(latest.rows).toEqual([{ revision: 2 }]);

    // 2025-11-21 falls due before its file exists: pending, enqueued, and its fetch fails.
    const f = await tickBeforeFetch('2025-12-08T15:00:00Z', async (result) => {
      expect(enqueued(result)).toEqual(['2025-11-21 missing']);
      expect(await readiness('2025-11-21')).toBe('pending');
    });
    const failedBatch = f.batch_ids[0]!;
    expect(await settled(f)).toMatchObject({ weeks_failed: 1 });

    // The file appears; the next tick retries the failed job in its own batch (nothing new is enqueued). The stage
    // queue is paused so the week is caught mid-pipeline: fetched (a capture exists), not yet complete.
    await weekFile('2025-11-21');
    await queues.stageQueue.pause();
    try {
      const g = await tick('2025-12-08T16:00:00Z');
      expect(g.enqueued).toEqual([]);
      expect(g.batch_ids).toEqual([]);
      await expect.poll(() => revisions('2025-11-21'), { timeout: 20_000, interval: 100 }).toEqual([1]);
      const h = await tick('2025-12-08T17:00:00Z');
      expect(h.in_flight).toEqual([{ tier: T1, venue_type: 'ATS', week_ending: '2025-11-21' }]);
      expect(await readiness('2025-11-21')).toBe('in_progress');
    } finally {
      await queues.stageQueue.resume();
    }
    // The batch ended when the week failed; the retried week completes it.
    await expect.poll(async () => (await cluster.waitForBatch(pool, failedBatch)).weeks_done, { timeout: 30_000, interval: 200 }).toBe(1);
    expect(await cluster.waitForBatch(pool, failedBatch)).toMatchObject({ status: 'completed', weeks_done: 1, weeks_failed: 0 });
    expect(await count(pool, `SELECT 1 FROM otc_research_snapshot WHERE week_ending = '2025-11-21'`)).toBeGreaterThan(0);
    // Complete, and its first revision check is due at once (it has never had one).
    const i = await tick('2025-12-08T18:00:00Z');
    expect(await readiness('2025-11-21')).toBe('ready');
    expect(enqueued(i)).toEqual(['2025-11-21 revision_check']);
    await settled(i);

    // 2025-11-28 never arrives: past the 24 h tolerance it is late.
    const j = await tickBeforeFetch('2025-12-16T14:01:00Z', async (result) => {
      expect(await readiness('2025-11-28')).toBe('late');
      expect(enqueued(result)).toEqual(['2025-11-28 missing']);
    });
    await settled(j);
  });
});
