import { beforeEach, describe, expect, it } from 'vitest';
import { useFaultStack } from './support/fault-stack.ts';
import { allWeeks } from './support/fault-dataset.ts';
import { outcome, sleep, waitForStage } from './support/outcome.ts';
import { recordFault } from './support/reliability-report.ts';
import type { ProxyMode } from './support/tcp-proxy.ts';

const stack = useFaultStack();
beforeEach(() => {
  stack.s3Proxy.setMode('pass');
});

async function s3Fault(scenario: string, fault: string, stage: string, mode: ProxyMode, forMs: number, env: Record<string, string> = {}): Promise<void> {
  await stack.spawnWorker(env);
  await stack.spawnWorker(env);
  await stack.enqueue({ kind: 'backfill', weeks: allWeeks(), source: `dir:${stack.ctx.datasetDir}` });
  await waitForStage(stack.pool, stage, 1);
  const heldBefore = stack.s3Proxy.heldConnections;
  stack.s3Proxy.setMode(mode);
  await sleep(forMs);
  stack.s3Proxy.setMode('pass');
  const backAt = Date.now();
  await stack.waitForBatchesClosed(180_000);
  const recoverMs = Date.now() - backAt;
  const result = await outcome(stack.pool, stack.reference);
  const { rows: retried } = await stack.pool.query<{ stage: string; n: number }>(
    `SELECT stage, count(*)::int AS n FROM core_executions WHERE status = 'failed' AND stage IN ('fetch', 'ingest') GROUP BY stage ORDER BY stage`,
  );
  recordFault(stack.ctx.resultsFile, {
    scenario, fault, injected: 1,
    recovered: result.open.length === 0 && result.batches.every((b) => b === 'completed') ? 1 : 0,
    rowsLost: result.lost, rowsDuplicated: result.duplicated, recoverMs,
    notes: `failed attempts retried: ${retried.map((r) => `${r.stage} ${r.n}`).join(', ') || 'none'}${mode === 'down' ? '' : `; reads stalled ${stack.s3Proxy.heldConnections - heldBefore}`}; batches ${result.batches.join(', ')}; half-written rows ${result.halfWritten}`,
  });
  // The fault must have been felt (a failed attempt of the stage it was aimed at), else this test proved nothing about it.
  expect(retried.filter((r) => r.stage === stage)).not.toEqual([]);
  if (mode !== 'down') expect(stack.s3Proxy.heldConnections - heldBefore).toBeGreaterThan(0);
  expect(result).toEqual({ lost: 0, duplicated: 0, halfWritten: 0, open: [], batches: ['completed'] });
}

describe('the S3 endpoint', () => {
  it('down for 30 s during fetch: uploads fail, are retried, the backfill completes', () =>
    s3Fault('4a', 'S3 endpoint down for 30 s during fetch (connections refused and cut)', 'fetch', 'down', 30_000));

  it('down for 30 s during ingest: reads fail, are retried, the backfill completes', () =>
    s3Fault('4b', 'S3 endpoint down for 30 s during ingest', 'ingest', 'down', 30_000));

  // The hang lands mid-body of ingest's GetObject of the raw file (its headers and first 16 KiB arrived), where the
  // SDK does not retry and only the socket-idle timeout ends the read: the stage fails and its job is retried.
  it('a read that hangs mid-body for 8 s: the socket timeout ends it, the ingest is retried and the backfill completes', () =>
    s3Fault('4c', 'S3 read that hangs mid-body for 8 s during ingest (S3_SOCKET_TIMEOUT_MS 2 s)', 'ingest', 'stall-reads', 8_000, { S3_SOCKET_TIMEOUT_MS: '2000' }));
});
