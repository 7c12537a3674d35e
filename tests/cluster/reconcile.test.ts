import { beforeEach, describe, expect, it } from 'vitest';
import { expandWeeks } from '@spine/orchestration';
import { TIERS } from '@spine/otc';
import { resetData } from '../support/database.ts';
import { allContents, count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE, loadGolden } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';

const { pool, cluster } = useTestCluster();
beforeEach(() => resetData(pool));

describe('the reconciler', () => {
  it('restores a backfill after Redis lost every key mid-run: same tables as an undisturbed run, and a second run changes nothing', async () => {
    await loadGolden(pool);
    const undisturbed = await allContents(pool);
    await resetData(pool);

    const weeks = expandWeeks([...TIERS], '2025-10-31', '2025-12-05', ['ATS']);
    const doomed = await cluster.spawnWorker();
    const batch = await cluster.enqueue(pool, { kind: 'backfill', weeks, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    await expect.poll(() => count(pool, `SELECT 1 FROM core_manifest WHERE stage = 'aggregate' AND status = 'completed'`), { timeout: 30_000, interval: 50 }).toBeGreaterThan(2);
    await doomed.stop('SIGKILL');
    expect(await cluster.flushRedis()).toBeGreaterThan(0);

    const planned = await cluster.reconcile(pool, true);
    expect(planned.dry_run).toBe(true);
    expect(planned.actions.map((a) => a.action)).toEqual(['recreate_finalize']);
    const applied = await cluster.reconcile(pool);
    expect(applied.actions).toEqual(planned.actions.map((a) => ({ ...a })));
    expect(applied.actions[0]).toMatchObject({ batch_id: batch.batch_id, job_id: `batch-${batch.batch_id}` });
    expect(await cluster.reconcile(pool)).toEqual({ dry_run: false, batches_checked: 1, actions: [] });

    const rescuer = await cluster.spawnWorker();
    const progress = await cluster.waitForBatch(pool, batch.batch_id!, 60_000);
    expect(progress).toMatchObject({ status: 'completed', weeks_done: 18, weeks_failed: 0 });
    expect(await allContents(pool)).toEqual(undisturbed);
    expect(await cluster.reconcile(pool)).toEqual({ dry_run: false, batches_checked: 0, actions: [] });
    await rescuer.stop();
  });

  it('re-creates a lost single-week chain with its ids, and only once', async () => {
    const single = await cluster.enqueue(pool, { kind: 'manual', weeks: [{ tier: 'OTC', week_ending: '2025-12-05' }], source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    expect(await cluster.flushRedis()).toBeGreaterThan(0);
    const result = await cluster.reconcile(pool);
    expect(result.actions.map((a) => [a.batch_id, a.action, a.job_id])).toEqual([[single.batch_id, 'recreate_week', 'otc-OTC-2025-12-05-snapshot']]);
    expect((await cluster.reconcile(pool)).actions).toEqual([]);
    const worker = await cluster.spawnWorker();
    expect(await cluster.waitForBatch(pool, single.batch_id!, 60_000)).toMatchObject({ status: 'completed', weeks_done: 1 });
    expect(await count(pool, `SELECT 1 FROM otc_research_snapshot WHERE tier = 'OTC' AND week_ending = '2025-12-05'`)).toBeGreaterThan(0);
    await worker.stop();
  });

  it('records a final failure that was never recorded, closing the batch with its reason', async () => {
    const worker = await cluster.spawnWorker();
    const batch = await cluster.enqueue(pool, { kind: 'manual', weeks: [{ tier: 'OTC', week_ending: '2025-12-05' }], source: 'dir:/nonexistent-spine-source', force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const status = async () => (await pool.query(`SELECT status FROM core_batches WHERE batch_id = $1`, [batch.batch_id])).rows[0].status;
    await expect.poll(status, { timeout: 30_000 }).toBe('failed');
    await worker.stop();
    // As if the worker had died before PostgreSQL took the record.
    await pool.query(`UPDATE core_batches SET status = 'running', finished_at = NULL, close_reason = NULL WHERE batch_id = $1`, [batch.batch_id]);
    await pool.query(`UPDATE core_executions SET status = 'running', error = NULL, finished_at = NULL WHERE batch_id = $1 AND stage = 'week'`, [batch.batch_id]);

    const result = await cluster.reconcile(pool);
    expect(result.actions).toEqual([expect.objectContaining({ action: 'record_final_failure', job_id: 'otc-OTC-2025-12-05-fetch' })]);
    const closed = (await pool.query(`SELECT status, close_reason FROM core_batches WHERE batch_id = $1`, [batch.batch_id])).rows[0];
    expect(closed.status).toBe('failed');
    expect(closed.close_reason).toMatch(/^fetch failed: /);
    expect(await count(pool, `SELECT 1 FROM core_executions WHERE batch_id = $1 AND stage = 'week' AND status = 'failed'`, [batch.batch_id])).toBe(1);
    expect((await cluster.reconcile(pool)).actions).toEqual([]);
  });
});
