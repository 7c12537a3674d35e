import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Job } from 'bullmq';
import { sourceCatalog } from '@spine/finra-source';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import type { WorkerDeps } from '@spine/orchestration';
import { processFetch } from '@spine/orchestration/processors/fetch';
import { createBatch, startExecution, type RawStore } from '@spine/platform';
import { captureList } from '@spine/otc/research/capture-list';
import { capturesQuery } from '@spine/otc/research/request-schemas';
import { testPool, resetData } from '../support/database.ts';
import { GOLDEN_DIR } from '../support/golden.ts';
import { datasets } from '@spine/datasets';

const TODAY = '2026-01-05';
const WEEK = '2025-11-28';

/** A raw store that keeps nothing: it reads the body, as the real one does, and names its content. */
const readingStore = {
  async put(_db: unknown, _key: unknown, body: Readable) {
    const hash = createHash('sha256');
    let sizeBytes = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      sizeBytes += chunk.length;
    }
    return { bucket: 'test', objectKey: `otc/OTC/${WEEK}/x.psv`, sha256: hash.digest('hex'), sizeBytes, revision: 1, isNew: true };
  },
} as unknown as RawStore;

describe('a fetch from FINRA\'s Query API', () => {
  const pool = testPool();
  let dir: string;
  let standIn: FinraStandIn;

  beforeAll(async () => {
    await resetData(pool);
    dir = mkdtempSync(join(tmpdir(), 'spine-fetch-dates-'));
    mkdirSync(join(dir, 'OTC'));
    copyFileSync(join(GOLDEN_DIR, 'OTC', `${WEEK}.psv`), join(dir, 'OTC', `${WEEK}.psv`));
    standIn = await startFinraStandIn({ fixturesDir: dir, today: () => TODAY, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
    await pool.end();
  });

  it('keeps FINRA\'s initialPublishedDate with the capture', async () => {
    const batchId = await createBatch(pool, { kind: 'manual', domain: 'otc', params: {}, weeksTotal: 1 });
    const week = await startExecution(pool, { batchId, pipeline: 'otc_weekly', stage: 'week', periodEnd: WEEK, key1: 'OTC', key2: 'ATS' });
    const job = {
      id: `otc-OTC-${WEEK}-fetch`, attemptsMade: 0, log: vi.fn(),
      data: { batch_id: batchId, correlation_id: week.correlationId, week_execution_id: week.executionId, tier: 'OTC', venue_type: 'ATS', week_ending: WEEK,
        source: 'finra', force: false, max_reject_share: 0.5, last_stage: 'snapshot' },
    } as unknown as Job;
    const deps = {
      pool, datasets, rawStore: readingStore, logger: pino({ level: 'silent' }),
      sources: sourceCatalog({ allow: { dirs: [], buckets: [] }, finraApi: { baseUrl: standIn.url, now: () => new Date(`${TODAY}T12:00:00Z`) } }),
    } as unknown as WorkerDeps;
    const result = await processFetch(job, deps);
    const { data } = await captureList(pool, capturesQuery.parse({}));
    // The stand-in publishes an OTC week 31 days after its Friday, as FINRA's calendar has it.
    expect(data).toEqual([expect.objectContaining({ capture_id: result.capture_id, finra_initial_published_date: '2025-12-29', finra_last_reported_date: null })]);
  });
});
