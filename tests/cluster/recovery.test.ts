import { cpSync, appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { allContents, count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { TestCluster } from '../support/cluster.ts';
import { pino } from 'pino';

const pool = testPool();
const cluster = new TestCluster();
const fixtures = mkdtempSync(join(tmpdir(), 'spine-standin-'));
let standIn: FinraStandIn;

beforeAll(async () => {
  cpSync(GOLDEN_DIR, fixtures, { recursive: true });
  standIn = await startFinraStandIn({ fixturesDir: fixtures, logger: pino({ level: 'silent' }) });
  await cluster.start({ FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl, FINRA_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  await cluster.stop();
  await standIn.close();
  rmSync(fixtures, { recursive: true, force: true });
  await pool.end();
});
beforeEach(async () => {
  await resetData(pool);
  // A failed job keeps its deterministic id, and with it its week, from the next test's enqueue.
  await cluster.clearQueues();
});

const OTC_WEEK = { tier: 'OTC' as const, week_ending: '2025-12-05' };
const request = (source: string) => ({ kind: 'backfill' as const, weeks: [OTC_WEEK], source, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });

describe('failure handling', () => {
  it('recovers a stage whose worker was killed with SIGKILL, on another worker, with identical tables', async () => {
    await runWeek(pool, { tier: 'OTC', weekEnding: OTC_WEEK.week_ending, file: join(GOLDEN_DIR, 'OTC', '2025-12-05.psv'), maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const expected = await allContents(pool);
    await resetData(pool);

    // Hold the week's partition lock so the ingest stage, once started, waits inside its transaction.
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT pg_advisory_xact_lock(hashtextextended('otc:OTC:2025-12-05', 0))`);
    const doomed = await cluster.spawnWorker();
    const batch = await cluster.enqueue(pool, request(`dir:${GOLDEN_DIR}`));
    await expect.poll(() => count(pool, `SELECT 1 FROM core_executions WHERE stage = 'ingest' AND status = 'running'`), { timeout: 20_000 }).toBe(1);
    await doomed.stop('SIGKILL');
    await blocker.query('ROLLBACK');
    blocker.release();

    const rescuer = await cluster.spawnWorker();
    const progress = await cluster.waitForBatch(pool, batch.batch_id!);
    expect(progress.weeks_done).toBe(1);
    expect(await allContents(pool)).toEqual(expected);
    const ingest = (await pool.query(`SELECT status, attempt, error FROM core_executions WHERE stage = 'ingest' ORDER BY started_at`)).rows;
    expect(ingest[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^abandoned/) });
    expect(ingest.at(-1)).toMatchObject({ status: 'completed' });
    await rescuer.stop();
  });

  it('gets through a FINRA 429 then 500, and detects a republished week as a new revision', async () => {
    // Aimed at the week's data: a fetch worker also asks FINRA's partitions once as it starts.
    const week = { tier: OTC_WEEK.tier, weekEnding: OTC_WEEK.week_ending };
    standIn.faults.push({ kind: '429', retryAfterSeconds: 0 }, week);
    standIn.faults.push({ kind: '500' }, week);
    const worker = await cluster.spawnWorker();
    const first = await cluster.enqueue(pool, request('finra'));
    const done = await cluster.waitForBatch(pool, first.batch_id!);
    expect(done).toMatchObject({ weeks_done: 1, weeks_failed: 0 });
    const fetches = (await pool.query(`SELECT status FROM core_executions WHERE stage = 'fetch' ORDER BY started_at`)).rows.map((r) => r.status);
    expect(fetches).toEqual(['failed', 'failed', 'completed']);

    // Same content again: no new object, same capture, nothing re-run.
    const again = await cluster.enqueue(pool, request('finra'));
    await cluster.waitForBatch(pool, again.batch_id!);
    expect(await count(pool, 'SELECT 1 FROM core_raw_files')).toBe(1);
    expect(await count(pool, 'SELECT 1 FROM core_captures')).toBe(1);

    // FINRA republishes the week with one more row: a new raw object, revision 2, and the latest views move to it.
    appendFileSync(join(fixtures, 'OTC', '2025-12-05.psv'), 'OTC|NEWCO|New Co Inc|OTC Link|OTCX|5000|5|2026-01-05\n');
    const revised = await cluster.enqueue(pool, request('finra'));
    await cluster.waitForBatch(pool, revised.batch_id!);
    const files = (await pool.query(`SELECT revision FROM core_raw_files ORDER BY revision`)).rows;
    expect(files).toEqual([{ revision: 1 }, { revision: 2 }]);
    expect(await count(pool, `SELECT 1 FROM otc_symbol_summary_latest WHERE symbol = 'NEWCO'`)).toBe(1);
    expect(await count(pool, `SELECT DISTINCT capture_id FROM otc_symbol_summary`)).toBe(2);
    await worker.stop();
  });

  it('fails a week whose FINRA answer is of another grain at once, naming the request, and stores nothing', async () => {
    standIn.faults.set({ kind: 'wrong-grain' }, { tier: 'OTC', weekEnding: OTC_WEEK.week_ending });
    const worker = await cluster.spawnWorker();
    try {
      const batch = await cluster.enqueue(pool, request('finra'));
      const progress = await cluster.waitForBatch(pool, batch.batch_id!);
      expect(progress).toMatchObject({ weeks_done: 0, weeks_failed: 1 });
      const failure = progress.failures[0]!;
      expect(failure.stage).toBe('fetch');
      // One line: the kind, the request (dataset URL, week, tier, grain) and what was wrong with the answer.
      expect(failure.error).toMatch(/^\[data\] Invalid response from POST http:\/\/127\.0\.0\.1:\d+\/data\/group\/otcMarket\/name\/weeklySummary\S* weekStartDate=2025-12-01 tierIdentifier=OTCE summaryTypeCode=ATS_W_SMBL_FIRM: .*summaryTypeCode/);
      expect(failure.error).not.toContain('\n');
      // Not retried: another attempt would get the same answer.
      expect(await count(pool, `SELECT 1 FROM core_executions WHERE stage = 'fetch'`)).toBe(1);
      expect(await count(pool, 'SELECT 1 FROM core_raw_files')).toBe(0);
      expect(await count(pool, 'SELECT 1 FROM core_captures')).toBe(0);
    } finally {
      standIn.faults.clear();
      await worker.stop();
    }
  });

  it('retries a fetch whose rows do not add up to Record-Total, storing nothing until they do', async () => {
    standIn.faults.push({ kind: 'miscount', delta: 3 }, { tier: 'OTC', weekEnding: OTC_WEEK.week_ending });
    const worker = await cluster.spawnWorker();
    try {
      const batch = await cluster.enqueue(pool, request('finra'));
      expect(await cluster.waitForBatch(pool, batch.batch_id!)).toMatchObject({ weeks_done: 1, weeks_failed: 0 });
      const fetches = (await pool.query(`SELECT status, error FROM core_executions WHERE stage = 'fetch' ORDER BY started_at`)).rows;
      expect(fetches.map((f) => f.status)).toEqual(['failed', 'completed']);
      // The first page says 3 rows more than there are; the next page's true total gives it away.
      const [, claimed, actual, offset] = /^\[infrastructure: FINRA\] .*Record-Total changed from (\d+) to (\d+) at offset (\d+)/.exec(fetches[0].error) ?? [];
      expect(Number(claimed) - Number(actual)).toBe(3);
      expect(offset).toBe(actual);
      expect(await count(pool, 'SELECT 1 FROM core_raw_files')).toBe(1);
    } finally {
      standIn.faults.clear();
      await worker.stop();
    }
  });

  it('lets the rest of a backfill finish when one week fails for good, and completes that week on retry', async () => {
    for (let i = 0; i < 5; i++) standIn.faults.push({ kind: '500' }, { tier: 'OTC', weekEnding: '2025-12-05' });
    const worker = await cluster.spawnWorker();
    const weeks = [{ tier: 'OTC' as const, week_ending: '2025-11-28' }, OTC_WEEK];
    const batch = await cluster.enqueue(pool, { kind: 'backfill', weeks, source: 'finra', force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const status = async () => (await pool.query(`SELECT status FROM core_batches WHERE batch_id = $1`, [batch.batch_id])).rows[0].status;
    await expect.poll(status, { timeout: 30_000 }).toBe('partial');
    expect(await count(pool, `SELECT 1 FROM otc_research_snapshot WHERE week_ending = '2025-11-28'`)).toBeGreaterThan(0);
    expect(await count(pool, `SELECT 1 FROM otc_research_snapshot WHERE week_ending = '2025-12-05'`)).toBe(0);

    const queues = cluster.queues(pool);
    const failed = await queues.fetchQueue.getJob('otc-OTC-2025-12-05-fetch');
    expect(await failed!.getState()).toBe('failed');
    await failed!.retry('failed');
    await queues.close();
    await expect.poll(status, { timeout: 30_000 }).toBe('completed');
    expect(await count(pool, `SELECT 1 FROM otc_research_snapshot WHERE week_ending = '2025-12-05'`)).toBeGreaterThan(0);
    await worker.stop();
  });
});
