import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatch, finishBatch, finishExecution, loadLineage, renderTree, startExecution } from '@spine/platform';
import { testPool, resetData } from '../support/database.ts';

const pool = testPool();
let batchId = '';
let stageId = '';

beforeAll(async () => {
  await resetData(pool);
  // A single-week batch as the enqueue records it: the batch execution completed at once, the batch itself later failed.
  batchId = await createBatch(pool, { kind: 'backfill', domain: 'otc', weeksTotal: 1, params: {} });
  const batch = await startExecution(pool, { batchId, pipeline: 'otc_weekly', stage: 'batch' });
  await finishExecution(pool, batch.executionId, { status: 'completed' });
  const week = await startExecution(pool, { parent: batch, batchId, pipeline: 'otc_weekly', stage: 'week', periodEnd: '2025-12-05', key1: 'OTC', key2: 'NON_ATS' });
  const stage = await startExecution(pool, { parent: week, batchId, pipeline: 'otc_weekly', stage: 'ingest', periodEnd: '2025-12-05', key1: 'OTC', key2: 'NON_ATS' });
  stageId = stage.executionId;
  // The stage measured 130 ms; its row's finished_at is the commit's transaction start, 6 ms after its start.
  await finishExecution(pool, stage.executionId, { status: 'completed', metrics: { duration_ms: 130 } });
  await pool.query(`UPDATE core_executions SET finished_at = started_at + interval '6 milliseconds' WHERE execution_id = $1`, [stage.executionId]);
  await finishExecution(pool, week.executionId, { status: 'failed', error: 'normalize: boom' });
  await finishBatch(pool, batchId, 'failed', 'normalize failed: boom');
});
afterAll(() => pool.end());

describe('lineage', () => {
  it('gives the batch node the batch\'s status and a stage its own duration, and names the venue type', async () => {
    const { roots } = await loadLineage(pool, batchId);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ stage: 'batch', status: 'failed' });
    const stage = roots[0]!.children[0]!.children[0]!;
    expect(stage).toMatchObject({ execution_id: stageId, stage: 'ingest', duration_ms: 130, venue_type: 'NON_ATS' });
    expect(renderTree(roots)).toMatch(/^batch \[failed\]/);
    expect(renderTree(roots)).toContain(`ingest [completed] OTC NON_ATS 2025-12-05 130ms ${stageId}`);
  });
});
