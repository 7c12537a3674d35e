import { randomUUID } from 'node:crypto';
import { createBatch, resolveCapture, startExecution, type Pool } from '@spine/platform';

/**
 * A capture of a partition of the 'test' domain, as a worker has it when a stage of it runs: a manual batch, its week
 * execution and the capture, under a tier of its own (`prefix` and a random suffix) so tests do not meet.
 */
export async function stageCapture(pool: Pool, prefix: string) {
  const tier = `${prefix}_${randomUUID().slice(0, 8)}`;
  const batchId = await createBatch(pool, { kind: 'manual', domain: 'test', params: {}, weeksTotal: 1 });
  const root = await startExecution(pool, { batchId, pipeline: 'test', stage: 'week', periodEnd: '2025-12-05', key1: tier, key2: 'ATS' });
  const capture = await resolveCapture(pool, {
    domain: 'test', periodEnd: '2025-12-05', key1: tier, key2: 'ATS', idPrefix: `test-${tier}-2025-12-05`, sha256: 'f'.repeat(64), sourceUri: 'test:', executionId: root.executionId, batchId,
  });
  const key = { domain: 'test', periodEnd: '2025-12-05', key1: tier, key2: 'ATS', captureId: capture.captureId };
  return { tier, batchId, root, key };
}
