import { FlowProducer, Queue, type FlowJob } from 'bullmq';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '@spine/platform';
import { createRedis, enqueueBatch, expandWeeks, LEGACY_QUEUES, QUEUES, type EnqueueDeps } from '@spine/orchestration';
import { orchestrationEnvSchema } from '@spine/orchestration/orchestration-env';
import { datasets } from '@spine/datasets';
import { resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';
import { ADMIN, basicGet, startTestDashboard } from '../support/dashboard.ts';

/**
 * An upgrade from a release whose queues were named `otc-fetch` and `otc-stage`: a backfill that release enqueued is
 * still on them. This release's producers count its weeks in flight, its reconciler leaves the batch alone, and its
 * workers run the jobs where they are, so the batch ends as it would have.
 */
const { pool, cluster } = useTestCluster();
beforeEach(() => resetData(pool));

const LEGACY_NAME: Record<string, string> = { [QUEUES.fetch]: LEGACY_QUEUES.fetch, [QUEUES.stage]: LEGACY_QUEUES.stage };
/** A flow as the earlier release added it: the same tree, on the queues' earlier names. */
const earlierNames = (flow: FlowJob): FlowJob => ({ ...flow, queueName: LEGACY_NAME[flow.queueName] ?? flow.queueName, children: flow.children?.map(earlierNames) });

describe('jobs an earlier release left on the queues\' earlier names', () => {
  it('are in flight to producers, left alone by the reconciler, and run by this release\'s workers', async () => {
    const env = parseEnv(orchestrationEnvSchema, { ...process.env, ...cluster.env });
    const connection = createRedis(env.REDIS_URL);
    const flows = new FlowProducer({ connection, prefix: env.QUEUE_PREFIX });
    const [fetchQueue, stageQueue] = [LEGACY_QUEUES.fetch, LEGACY_QUEUES.stage].map((name) => new Queue(name, { connection, prefix: env.QUEUE_PREFIX }));
    const earlier: EnqueueDeps = {
      pool, datasets, fetchQueue: fetchQueue!, stageQueue: stageQueue!,
      flows: { add: (flow: FlowJob) => flows.add(earlierNames(flow)) } as unknown as FlowProducer,
      retry: { fetch: { attempts: 2, backoffMs: 100 }, stage: { attempts: 2, backoffMs: 100 } },
    };
    const weeks = expandWeeks(['NMS_TIER_1', 'OTC'], '2025-11-28', '2025-12-05', ['ATS']);
    const batch = await enqueueBatch(earlier, { kind: 'backfill', weeks, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    try {
      expect(batch.enqueued).toHaveLength(4);
      expect((await fetchQueue!.getJobCounts('waiting')).waiting).toBe(4);

      const queues = cluster.queues(pool);
      try {
        expect((await queues.fetchQueue.getJobCounts('waiting')).waiting).toBe(0);
        const again = await enqueueBatch(queues, { kind: 'backfill', weeks, source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
        expect(again).toMatchObject({ batch_id: null, enqueued: [] });
        expect(again.in_flight).toHaveLength(4);
      } finally {
        await queues.close();
      }
      expect(await cluster.reconcile(pool, true)).toEqual({ dry_run: true, batches_checked: 1, actions: [] });

      // The dashboard lists the earlier names beside today's while they hold jobs, and counts them for the alerts.
      const dashboard = await startTestDashboard({ QUEUE_PREFIX: cluster.prefix, DATABASE_URL: cluster.env.DATABASE_URL! });
      try {
        const board = await basicGet(`${dashboard.url}/queues/api/queues?activeQueue=${LEGACY_QUEUES.fetch}&status=waiting&page=1&jobsPerPage=10`, ADMIN);
        const listed = (await board.json() as { queues: { name: string; description?: string; jobs: unknown[] }[] }).queues;
        expect(listed.map((q) => q.name).sort()).toEqual([QUEUES.fetch, LEGACY_QUEUES.fetch, LEGACY_QUEUES.stage, QUEUES.stage].sort());
        expect(listed.find((q) => q.name === LEGACY_QUEUES.fetch)).toMatchObject({ description: expect.stringMatching(/^The queue's name before every dataset shared it/) });
        expect(listed.find((q) => q.name === LEGACY_QUEUES.fetch)!.jobs).toHaveLength(4);
        expect(await (await fetch(`${dashboard.url}/metrics`)).text()).toContain(`spine_queue_jobs{queue="${LEGACY_QUEUES.fetch}",state="waiting"} 4`);
        // A job link names the stage's queue by today's name, as the partition page does: it opens the job where the
        // earlier release left it; a queue of no name of either release is no page.
        const id = encodeURIComponent((await fetchQueue!.getJobs(['waiting'], 0, 0))[0]!.id!);
        const link = await basicGet(`${dashboard.url}/jobs/${QUEUES.fetch}/${id}`, ADMIN, undefined, 'manual');
        expect([link.status, link.headers.get('location')]).toEqual([302, `/queues/queue/${LEGACY_QUEUES.fetch}/${id}`]);
        expect((await basicGet(`${dashboard.url}/jobs/elsewhere/${id}`, ADMIN, undefined, 'manual')).status).toBe(404);
      } finally {
        await dashboard.close();
      }

      const worker = await cluster.spawnWorker();
      expect(await cluster.waitForBatch(pool, batch.batch_id!, 60_000)).toMatchObject({ status: 'completed', weeks_done: 4, weeks_failed: 0 });
      await worker.stop();
      expect(await count(pool, `SELECT 1 FROM core_data_readiness WHERE status = 'ready'`)).toBe(4);
      expect((await stageQueue!.getJobCounts('completed')).completed).toBeGreaterThan(0);
      const current = cluster.queues(pool);
      try {
        expect(await current.stageQueue.getJobCounts('completed', 'waiting', 'active')).toEqual({ completed: 0, waiting: 0, active: 0 });
      } finally {
        await current.close();
      }
    } finally {
      await Promise.all([flows.close(), fetchQueue!.close(), stageQueue!.close()]);
      await connection.quit();
    }
  });
});
