import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';
import { useTestCluster } from '../support/cluster.ts';

const { pool, cluster } = useTestCluster();
const WEEK = { tier: 'OTC' as const, week_ending: '2025-12-05' };
// A readable, valid week file outside SOURCE_DIR_ALLOWLIST (the golden directory): a worker that read it would load it.
const outside = mkdtempSync(join(tmpdir(), 'spine-outside-'));
mkdirSync(join(outside, WEEK.tier));
cpSync(join(GOLDEN_DIR, WEEK.tier, `${WEEK.week_ending}.psv`), join(outside, WEEK.tier, `${WEEK.week_ending}.psv`));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('a fetch job whose source was edited outside the allow-list (Bull Board\'s update-data)', () => {
  it('fails at once as a data error naming SOURCE_DIR_ALLOWLIST, and the file is never read', async () => {
    await resetData(pool);
    const { batch_id } = await cluster.enqueue(pool, { kind: 'backfill', weeks: [WEEK], source: `dir:${GOLDEN_DIR}`, force: false, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const queues = cluster.queues(pool);
    try {
      const job = (await queues.fetchQueue.getJob(`otc-${WEEK.tier}-${WEEK.week_ending}-fetch`))!;
      expect(job.opts.attempts).toBeGreaterThan(1);
      await job.updateData({ ...job.data, source: `dir:${outside}` });
      await cluster.spawnWorker();
      const progress = await cluster.waitForBatch(pool, batch_id!);
      expect(progress).toMatchObject({ weeks_total: 1, weeks_failed: 1 });
      const failed = (await queues.fetchQueue.getJob(job.id!))!;
      expect(await failed.getState()).toBe('failed');
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toBe(`[data] source dir:${outside} is not allowed: directory ${outside} is not under SOURCE_DIR_ALLOWLIST (${GOLDEN_DIR})`);
      expect(await count(pool, 'SELECT 1 FROM core_raw_files')).toBe(0);
    } finally {
      await queues.close();
    }
  });
});
