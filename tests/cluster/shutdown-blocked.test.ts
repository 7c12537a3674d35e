import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT_SHUTDOWN_FORCED, shutdownTimes } from '@spine/orchestration';
import { resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';
import { startBlackholeProxy, startSilentServer } from '../support/unresponsive-peers.ts';
import {
  BLOCKED_FETCH_JOB, BLOCKED_INGEST_JOB, BLOCKED_WEEK, holdWeekLock, ingestBlockedOnLock, jobFacts, stopWithin,
} from '../support/blocked-jobs.ts';

const { pool, cluster } = useTestCluster();
beforeEach(async () => {
  await resetData(pool);
  await cluster.clearQueues();
});

const SHUTDOWN_MS = 3000;
const SHUTDOWN = { WORKER_SHUTDOWN_MS: String(SHUTDOWN_MS) };
// The process has ended by exitByMs after SIGTERM whatever holds it; a loaded machine gets 1 s more.
const EXIT_WITHIN_MS = shutdownTimes(SHUTDOWN_MS).exitByMs + 1000;

const request = (source: string) => ({ kind: 'backfill' as const, weeks: [BLOCKED_WEEK], source, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
const portOf = (url: string) => Number(new URL(url).port);

describe('SIGTERM while a job is blocked outside PostgreSQL', () => {
  it('FINRA not answering: the fetch is aborted, the job handed back without spending an attempt, and the worker exits 0 in time', async () => {
    const finra = await startSilentServer();
    try {
      const draining = await cluster.spawnWorker([], { ...SHUTDOWN, FINRA_BASE_URL: finra.url });
      await cluster.enqueue(pool, request('finra'));
      await expect.poll(() => finra.receivedBytes(), { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);

      expect(await stopWithin(draining, EXIT_WITHIN_MS)).toBe(0);
      expect(draining.output()).toContain('"msg":"handed the active jobs back to the queue"');
      expect(await jobFacts(cluster, pool, BLOCKED_FETCH_JOB)).toEqual({ state: 'waiting', attemptsMade: 0 });
    } finally {
      await finra.close();
    }
  });

  it('S3 not answering: the upload is abandoned, the job handed back, and another worker completes it', async () => {
    const s3 = await startBlackholeProxy(portOf(cluster.env.S3_ENDPOINT!));
    try {
      const draining = await cluster.spawnWorker([], { ...SHUTDOWN, S3_ENDPOINT: `http://127.0.0.1:${s3.port}` });
      s3.blackhole();
      const { batch_id } = await cluster.enqueue(pool, request(`dir:${GOLDEN_DIR}`));
      await expect.poll(() => s3.swallowedBytes(), { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);

      expect(await stopWithin(draining, EXIT_WITHIN_MS)).toBe(0);
      expect(await jobFacts(cluster, pool, BLOCKED_FETCH_JOB)).toEqual({ state: 'waiting', attemptsMade: 0 });

      const successor = await cluster.spawnWorker();
      expect(await cluster.waitForBatch(pool, batch_id!)).toMatchObject({ status: 'completed', weeks_done: 1, weeks_failed: 0 });
      await successor.stop();
    } finally {
      await s3.close();
    }
  });

  it('Redis not answering: the worker cannot hand the job back, exits with the forced code in time, and the job is taken over', async () => {
    const redis = await startBlackholeProxy(portOf(cluster.env.REDIS_URL!));
    const lock = await holdWeekLock(pool);
    try {
      const draining = await cluster.spawnWorker([], { ...SHUTDOWN, REDIS_URL: `redis://127.0.0.1:${redis.port}` });
      const { batch_id } = await cluster.enqueue(pool, request(`dir:${GOLDEN_DIR}`));
      await ingestBlockedOnLock(cluster, pool);
      // The stage commits once the lock is released; the job's next step (its log line) is a Redis call that hangs.
      redis.blackhole();
      await lock.release();
      await expect.poll(() => count(pool, `SELECT 1 FROM core_executions WHERE stage = 'ingest' AND status = 'completed'`), { timeout: 20_000, interval: 100 }).toBe(1);
      await expect.poll(() => redis.swallowedBytes(), { timeout: 10_000, interval: 100 }).toBeGreaterThan(0);

      expect(await stopWithin(draining, EXIT_WITHIN_MS)).toBe(EXIT_SHUTDOWN_FORCED);
      expect(draining.output()).toMatch(new RegExp(`"abandoned":\\[[^\\]]*"${BLOCKED_INGEST_JOB}"`));

      // Its lock lapses (WORKER_LOCK_MS) and a worker that reaches Redis takes the job over and finishes the week.
      const successor = await cluster.spawnWorker();
      expect(await cluster.waitForBatch(pool, batch_id!)).toMatchObject({ status: 'completed', weeks_done: 1, weeks_failed: 0 });
      await successor.stop();
    } finally {
      await lock.release();
      await redis.close();
    }
  });
});
