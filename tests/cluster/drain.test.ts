import { beforeEach, describe, expect, it } from 'vitest';
import type { PoolClient } from 'pg';
import { stageLockKey } from '@spine/platform';
import type { SpineChild } from '@spine/cli/spawn-spine';
import { resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';

const { pool, cluster } = useTestCluster();
beforeEach(() => resetData(pool));

const WEEK = { tier: 'OTC' as const, week_ending: '2025-12-05' };

/**
 * Holds the ingest stage's week lock in a transaction of the test's own, so a worker's ingest job stays active
 * (waiting for the lock inside its stage transaction) exactly as long as the test wants; release() lets it finish.
 */
async function holdWeekLock(): Promise<{ release(): Promise<void> }> {
  const client: PoolClient = await pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [stageLockKey({ domain: 'otc', tier: WEEK.tier, venueType: 'ATS', weekEnding: WEEK.week_ending, captureId: '' }, 'partition')]);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

const readyz = async (worker: SpineChild) => {
  const port = Number(/"healthPort":(\d+)/.exec(worker.output())![1]);
  return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 'closed' as const);
};

async function ingestActive(): Promise<void> {
  const queues = cluster.queues(pool);
  try {
    await expect.poll(async () => (await queues.stageQueue.getJobState(`otc-${WEEK.tier}-${WEEK.week_ending}-ingest`)), { timeout: 20_000, interval: 100 }).toBe('active');
    // Active and blocked on the lock, not finished a moment later.
    await expect.poll(() => count(pool, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`), { timeout: 10_000, interval: 50 }).toBe(1);
  } finally {
    await queues.close();
  }
}

/** A week enqueued while its lock is held, and a worker whose ingest job of it is active and blocked. */
async function blockedIngest() {
  const { batch_id } = await cluster.enqueue(pool, { kind: 'backfill', weeks: [WEEK], source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
  const draining = await cluster.spawnWorker();
  await ingestActive();
  return { batchId: batch_id!, draining };
}

describe('graceful drain with an active job', () => {
  it('on SIGTERM readiness flips at once, the active job finishes within WORKER_SHUTDOWN_MS, and the worker exits 0', async () => {
    const lock = await holdWeekLock();
    try {
      const { batchId, draining } = await blockedIngest();
      expect(await readyz(draining)).toBe(200);

      const signalledAt = Date.now();
      const exited = draining.stop('SIGTERM');
      await expect.poll(() => readyz(draining), { timeout: 3000, interval: 50 }).toBe(503);
      // Still draining (the job holds it): the process has not exited.
      expect(draining.proc.exitCode).toBeNull();
      await lock.release();
      expect(await exited).toBe(0);
      // cluster.env sets WORKER_SHUTDOWN_MS to 5000: the job finished inside it, not cut off at the deadline.
      expect(Date.now() - signalledAt).toBeLessThan(5000);
      expect(draining.output()).not.toContain('deadline reached');
      const pid = draining.proc.pid;
      const ingest = (await pool.query(`SELECT status, worker FROM core_executions WHERE stage = 'ingest'`)).rows;
      expect(ingest).toEqual([{ status: 'completed', worker: expect.stringMatching(new RegExp(`:${pid}$`)) }]);

      // The rest of the chain waits for a worker that is running.
      const successor = await cluster.spawnWorker();
      expect(await cluster.waitForBatch(pool, batchId)).toMatchObject({ status: 'completed', weeks_done: 1 });
      await successor.stop();
    } finally {
      await lock.release();
    }
  });

  it('hands a job that outlives WORKER_SHUTDOWN_MS back to the queue, and another worker completes it', async () => {
    const lock = await holdWeekLock();
    try {
      const { batchId, draining } = await blockedIngest();
      const signalledAt = Date.now();
      // Bounded: a drain that never ends (the bug this guards against) fails here with the worker's log.
      const exitCode = await Promise.race([draining.stop('SIGTERM'), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the worker did not exit 15 s after SIGTERM:\n${draining.output().slice(-2000)}`)), 15_000))]);
      expect(draining.output()).toContain('deadline reached: handing active jobs back to the queue');
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(5000);
      expect(exitCode).toBe(0);

      const successor = await cluster.spawnWorker();
      await lock.release();
      expect(await cluster.waitForBatch(pool, batchId)).toMatchObject({ status: 'completed', weeks_done: 1, weeks_failed: 0 });
      const ingest = (await pool.query(`SELECT status, worker FROM core_executions WHERE stage = 'ingest' ORDER BY started_at`)).rows;
      expect(ingest.map((r) => r.status)).toEqual(['failed', 'completed']);
      expect(ingest[1].worker).toMatch(new RegExp(`:${successor.proc.pid}$`));
      await successor.stop();
    } finally {
      await lock.release();
    }
  });
});
