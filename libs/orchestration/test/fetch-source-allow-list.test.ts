import { describe, expect, it, vi } from 'vitest';
import { UnrecoverableError, type Job } from 'bullmq';
import { DatasetRegistry, type Pool } from '@spine/platform';
import { sourceCatalog, type SourceAllowList, type SourceCatalogOptions } from '@spine/finra-source';
import { processFetch } from '../src/processors/fetch.ts';
import type { WorkerDeps } from '../src/worker-deps.ts';
import { weeklyTestDataset } from './support/weekly-test-dataset.ts';

const allow = { dirs: ['/data/finra'], buckets: ['finra-drops'] };

/** A fetch job as Bull Board can add or edit one: any source in its data. */
function fetchJob(source: string): Job {
  const data = {
    batch_id: 'manual-1', correlation_id: 'c-1', week_execution_id: '00000000-0000-4000-8000-000000000001', tier: 'OTC', venue_type: 'ATS',
    week_ending: '2025-12-05', source, force: false, max_reject_share: 0.05, last_stage: 'trend',
  };
  return { id: 'otc-OTC-2025-12-05-fetch', data, attemptsMade: 0, log: vi.fn() } as unknown as Job;
}

/** Deps whose first use of PostgreSQL stops the job, so a test sees whether the fetch got past the allow-list. */
function deps(sourceAllowList: SourceAllowList = allow) {
  const query = vi.fn(() => Promise.reject(new Error('reached PostgreSQL')));
  const openSource = vi.fn(() => { throw new Error('opened the source'); });
  // The S3 client is never asked: PostgreSQL stops the job first.
  const sources = sourceCatalog({ allow: sourceAllowList, s3Client: {} as NonNullable<SourceCatalogOptions['s3Client']> });
  const datasets = new DatasetRegistry([{ ...weeklyTestDataset, openSource }]);
  const workerDeps = { pool: { query } as unknown as Pool, datasets, sources } as unknown as WorkerDeps;
  return { workerDeps, query, openSource };
}

describe('the fetch job checks its source against the worker\'s allow-lists', () => {
  it.each([
    ['dir:/tmp/outside', 'directory /tmp/outside is not under SOURCE_DIR_ALLOWLIST (/data/finra)'],
    ['dir:/data/finra/../../etc', 'directory /etc is not under SOURCE_DIR_ALLOWLIST (/data/finra)'],
    ['s3:other-bucket/weeks', 'bucket other-bucket is not in SOURCE_S3_BUCKET_ALLOWLIST (finra-drops)'],
  ])('refuses %s as a data error, before touching PostgreSQL or the source', async (source, reason) => {
    const { workerDeps, query, openSource } = deps();
    const failure = await processFetch(fetchJob(source), workerDeps).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnrecoverableError);
    expect((failure as Error).message).toBe(`[data] source ${source} is not allowed: ${reason}`);
    expect(query).not.toHaveBeenCalled();
    expect(openSource).not.toHaveBeenCalled();
  });

  it('says how to enable a kind of source the worker has no allow-list for', async () => {
    const { workerDeps } = deps({ dirs: [], buckets: [] });
    await expect(processFetch(fetchJob('dir:/data/finra'), workerDeps)).rejects.toThrow('dir: sources are disabled (set SOURCE_DIR_ALLOWLIST');
    await expect(processFetch(fetchJob('s3:finra-drops'), workerDeps)).rejects.toThrow('s3: sources are disabled (set SOURCE_S3_BUCKET_ALLOWLIST');
  });

  it.each(['dir:/data/finra/weeks', 's3:finra-drops/2025', 'finra'])('lets an allowed source through: %s', async (source) => {
    const { workerDeps, query } = deps();
    await expect(processFetch(fetchJob(source), workerDeps)).rejects.toThrow('reached PostgreSQL');
    expect(query).toHaveBeenCalled();
  });
});
