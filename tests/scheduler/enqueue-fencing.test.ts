import { afterAll, describe, expect, it } from 'vitest';
import { createRedis } from '@spine/orchestration';
import { LeaderLease, LeaseLostError, queueEnqueuer } from '@spine/scheduling';
import { resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';

const { pool, cluster } = useTestCluster();
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
afterAll(async () => {
  await redis.del(`${cluster.prefix}:scheduler:leader`, `${cluster.prefix}:scheduler:leader:fence`);
  await redis.quit();
});

describe('scheduler enqueue fencing', () => {
  it('a replica whose lease passed to another enqueues nothing with its old token; the new leader enqueues', async () => {
    await resetData(pool);
    const key = `${cluster.prefix}:scheduler:leader`;
    const deposed = new LeaderLease(redis, key, 60_000);
    const old = await deposed.acquireOrRenew();
    expect(old.leader).toBe(true);
    // The old leader stalls past its TTL (simulated by the key vanishing); another replica takes over.
    await redis.del(key);
    const successor = new LeaderLease(redis, key, 60_000);
    const current = await successor.acquireOrRenew();
    expect(current.leader).toBe(true);
    expect(current.fencingToken).toBeGreaterThan(old.fencingToken!);

    const queues = cluster.queues(pool);
    try {
      const weeks = [{ tier: 'OTC' as const, venue_type: 'ATS' as const, week_ending: '2025-12-05' }];
      const request = { dataset: 'otc', weeks, source: `dir:${GOLDEN_DIR}` };
      await expect(queueEnqueuer(queues, 0.05, deposed).enqueue({ ...request, fencingToken: old.fencingToken })).rejects.toBeInstanceOf(LeaseLostError);
      expect(await count(pool, 'SELECT 1 FROM core_batches')).toBe(0);
      expect((await queues.fetchQueue.getJobCounts('waiting')).waiting).toBe(0);

      const outcome = await queueEnqueuer(queues, 0.05, successor).enqueue({ ...request, fencingToken: current.fencingToken });
      expect(outcome.enqueued).toEqual(weeks);
      expect((await queues.fetchQueue.getJobCounts('waiting')).waiting).toBe(1);
    } finally {
      await queues.close();
    }
  });
});
