import { beforeEach, describe, expect, it } from 'vitest';
import { resetData } from '../support/database.ts';
import { allContents, count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE, loadGolden } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';
import { ENQUEUE_LOCK, expandWeeks } from '@spine/orchestration';
import { TIERS } from '@spine/otc';

const { pool, cluster } = useTestCluster();
beforeEach(() => resetData(pool));

const ALL_WEEKS = expandWeeks([...TIERS], '2025-10-31', '2025-12-05', ['ATS']);

describe('backfill through the worker cluster', () => {
  it('spread over two worker processes, gives the same tables as the in-process run', async () => {
    await loadGolden(pool);
    const inProcess = await allContents(pool);
    await resetData(pool);

    const workers = [await cluster.spawnWorker(), await cluster.spawnWorker()];
    const result = await cluster.enqueue(pool, { kind: 'backfill', weeks: ALL_WEEKS, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(result.enqueued).toHaveLength(18);
    const progress = await cluster.waitForBatch(pool, result.batch_id!);
    expect(progress).toMatchObject({ weeks_total: 18, weeks_done: 18, weeks_failed: 0, status: 'completed' });
    expect(await allContents(pool)).toEqual(inProcess);

    // Both processes took work, and every stage execution names the job and the worker that ran it.
    const workersUsed = await count(pool, `SELECT DISTINCT worker FROM core_executions WHERE stage IN ('fetch', 'ingest', 'normalize', 'aggregate')`);
    expect(workersUsed).toBe(2);
    expect(await count(pool, `SELECT 1 FROM core_executions WHERE stage <> 'batch' AND stage <> 'week' AND job_id IS NULL`)).toBe(0);
    // Lineage: stages hang under their week, weeks under the batch; data rows name executions of this batch.
    const orphans = await count(pool, `SELECT 1 FROM core_executions e LEFT JOIN core_executions p ON p.execution_id = e.parent_execution_id
      WHERE e.stage <> 'batch' AND p.execution_id IS NULL`);
    expect(orphans).toBe(0);
    expect(await count(pool, `SELECT 1 FROM otc_symbol_summary WHERE batch_id <> $1`, [result.batch_id])).toBe(0);
    expect(await count(pool, `SELECT DISTINCT sha256 FROM core_raw_files`)).toBe(18);
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('treats enqueueing a week that is already in flight as a no-op', async () => {
    const week = [{ tier: 'OTC' as const, venue_type: 'ATS' as const, week_ending: '2025-12-05' }];
    const req = { kind: 'backfill' as const, weeks: week, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE };
    const first = await cluster.enqueue(pool, req);
    const second = await cluster.enqueue(pool, req);
    expect(first.enqueued).toEqual(week);
    expect(second.enqueued).toEqual([]);
    expect(second.in_flight).toEqual(week);
    const queues = cluster.queues(pool);
    const counts = await queues.fetchQueue.getJobCounts('waiting');
    await queues.close();
    expect(counts.waiting).toBe(1);

    const worker = await cluster.spawnWorker();
    const progress = await cluster.waitForBatch(pool, first.batch_id!);
    expect(progress.weeks_done).toBe(1);
    expect(await count(pool, `SELECT 1 FROM otc_research_snapshot`)).toBeGreaterThan(0);
    await worker.stop();
  });

  it('reports a forced week that is already queued as in flight instead of enqueueing a second chain, until it is done', async () => {
    const week = [{ tier: 'OTC' as const, venue_type: 'ATS' as const, week_ending: '2025-11-28' }];
    const req = { kind: 'backfill' as const, weeks: week, source: `dir:${GOLDEN_DIR}`, force: true, maxRejectShare: GOLDEN_MAX_REJECT_SHARE };
    const first = await cluster.enqueue(pool, req);
    const again = await cluster.enqueue(pool, req);
    const unforced = await cluster.enqueue(pool, { ...req, force: false });
    expect(first.enqueued).toEqual(week);
    expect([again, unforced].map((r) => [r.batch_id, r.enqueued, r.in_flight])).toEqual([[null, [], week], [null, [], week]]);
    const queues = cluster.queues(pool);
    const waiting = (await queues.fetchQueue.getJobCounts('waiting')).waiting;
    await queues.close();
    expect(waiting).toBe(1);

    const worker = await cluster.spawnWorker();
    expect(await cluster.waitForBatch(pool, first.batch_id!)).toMatchObject({ weeks_done: 1, status: 'completed' });
    const afterwards = await cluster.enqueue(pool, req);
    expect(afterwards.enqueued).toEqual(week);
    expect(await cluster.waitForBatch(pool, afterwards.batch_id!)).toMatchObject({ weeks_done: 1, status: 'completed' });
    await worker.stop();
  });

  it('gives each week to exactly one batch when two producers enqueue the same weeks at once', async () => {
    const weeks = expandWeeks(['OTC'], '2025-11-21', '2025-12-05', ['ATS']);
    const req = { kind: 'backfill' as const, weeks, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE };
    const results = await Promise.all([cluster.enqueue(pool, req), cluster.enqueue(pool, req)]);
    const enqueued = results.flatMap((r) => r.enqueued);
    expect(enqueued).toHaveLength(weeks.length);
    expect(new Set(enqueued.map((w) => w.week_ending)).size).toBe(weeks.length);
    expect(results.flatMap((r) => r.in_flight)).toHaveLength(weeks.length);
    const batchIds = results.map((r) => r.batch_id).filter((id): id is string => id !== null);
    expect(batchIds).toHaveLength(1);

    const worker = await cluster.spawnWorker();
    for (const batchId of batchIds) {
      expect(await cluster.waitForBatch(pool, batchId)).toMatchObject({ weeks_total: weeks.length, weeks_done: weeks.length, status: 'completed' });
    }
    expect(await count(pool, `SELECT 1 FROM core_batches WHERE status <> 'completed'`)).toBe(0);
    await worker.stop();
  });

  it('waits while another process holds the enqueue lock, then enqueues', async () => {
    const week = [{ tier: 'NMS_TIER_2' as const, venue_type: 'ATS' as const, week_ending: '2025-12-05' }];
    const holder = await pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [ENQUEUE_LOCK]);
      let settled = false;
      const pending = cluster.enqueue(pool, { kind: 'backfill', weeks: week, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE })
        .finally(() => (settled = true));
      // The producer is blocked on the lock (its session waits in pg_locks), not merely slow to start.
      await expect.poll(() => count(pool, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`), { timeout: 10_000, interval: 50 }).toBe(1);
      expect(settled).toBe(false);
      expect(await count(pool, 'SELECT 1 FROM core_batches')).toBe(0);
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [ENQUEUE_LOCK]);
      expect((await pending).enqueued).toEqual(week);
    } finally {
      holder.release();
    }
  });
});
