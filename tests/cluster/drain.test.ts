import { beforeEach, describe, expect, it } from 'vitest';
import { shutdownTimes } from '@spine/orchestration';
import type { SpineChild } from '@spine/cli/spawn-spine';
import { resetData } from '../support/database.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';
import { BLOCKED_INGEST_JOB, BLOCKED_WEEK, holdWeekLock, ingestBlockedOnLock, jobFacts, stopWithin } from '../support/blocked-jobs.ts';

const { pool, cluster } = useTestCluster();
beforeEach(async () => {
  await resetData(pool);
  await cluster.clearQueues();
});

const readyz = async (worker: SpineChild) => {
  const port = Number(/"healthPort":(\d+)/.exec(worker.output())![1]);
  return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 'closed' as const);
};

/** A week enqueued while its lock is held, and a worker whose ingest job of it is active and blocked. */
async function blockedIngest(env: Record<string, string>) {
  const { batch_id } = await cluster.enqueue(pool, { kind: 'backfill', weeks: [BLOCKED_WEEK], source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
  const draining = await cluster.spawnWorker([], env);
  await ingestBlockedOnLock(cluster, pool);
  return { batchId: batch_id!, draining };
}

describe('graceful drain with an active job', () => {
  it('on SIGTERM readiness flips at once, the active job finishes, and the worker exits 0 without waiting out WORKER_SHUTDOWN_MS', async () => {
    const lock = await holdWeekLock(pool);
    try {
      // A budget no loaded machine exhausts: the job must finish inside it, not be handed back at its end.
      const shutdownMs = 60_000;
      const { batchId, draining } = await blockedIngest({ WORKER_SHUTDOWN_MS: String(shutdownMs) });
      expect(await readyz(draining)).toBe(200);

      const signalledAt = Date.now();
      const exited = draining.stop('SIGTERM');
      await expect.poll(() => readyz(draining), { timeout: 10_000, interval: 50 }).toBe(503);
      // Still draining (the job holds it): the process has not exited.
      expect(draining.proc.exitCode).toBeNull();
      await lock.release();
      expect(await exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(shutdownMs);
      expect(draining.output()).not.toContain('handing the active jobs back');
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

  it('hands a job blocked in PostgreSQL back to the queue within WORKER_SHUTDOWN_MS, without spending an attempt, and another worker completes it', async () => {
    const lock = await holdWeekLock(pool);
    try {
      const shutdownMs = 3000;
      const { batchId, draining } = await blockedIngest({ WORKER_SHUTDOWN_MS: String(shutdownMs) });
      // The process has ended by exitByMs after SIGTERM whatever holds it; a loaded machine gets 1 s more.
      expect(await stopWithin(draining, shutdownTimes(shutdownMs).exitByMs + 1000)).toBe(0);
      expect(draining.output()).toContain('"msg":"handed the active jobs back to the queue"');
      expect(await jobFacts(cluster, pool, BLOCKED_INGEST_JOB)).toEqual({ state: 'waiting', attemptsMade: 0 });

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
