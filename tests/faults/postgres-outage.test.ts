import { describe, expect, it } from 'vitest';
import { useFaultStack } from './support/fault-stack.ts';
import { outcome, sleep, waitForStage } from './support/outcome.ts';
import { recordFault } from './support/reliability-report.ts';

const stack = useFaultStack();

async function outage(scenario: string, fault: string, stage: string, downMs: number): Promise<void> {
  const workers = [await stack.spawnWorker(), await stack.spawnWorker()];
  await stack.backfillDataset();
  await waitForStage(stack.pool, stage, 2);
  // `fast`: open transactions are rolled back and every connection is cut, mid-stage.
  await stack.postgres.stop('fast');
  await sleep(downMs);
  await stack.postgres.start();
  const upAt = Date.now();
  await stack.waitForBatchesClosed(180_000);
  const recoverMs = Date.now() - upAt;
  const result = await outcome(stack.pool, stack.reference);
  const alive = workers.filter((w) => w.proc.exitCode === null && w.proc.signalCode === null).length;
  recordFault(stack.ctx.resultsFile, {
    scenario, fault, injected: 1,
    recovered: result.open.length === 0 && result.batches.every((b) => b === 'completed') ? 1 : 0,
    rowsLost: result.lost, rowsDuplicated: result.duplicated, recoverMs,
    notes: `down while ${stage} ran; ${alive}/2 workers survived (no crash); batches ${result.batches.join(', ')}; half-written rows ${result.halfWritten}`,
  });
  expect(alive).toBe(2);
  expect(result).toEqual({ lost: 0, duplicated: 0, halfWritten: 0, open: [], batches: ['completed'] });
}

describe('PostgreSQL', () => {
  it('restarted mid-stage: the stages in flight fail as infrastructure errors, are retried, and the backfill completes', () =>
    outage('3a', 'PostgreSQL restart (pg_ctl stop -m fast, start) mid-stage', 'ingest', 500));

  it('unreachable for 60 s: workers ride it out and the backfill completes', () =>
    outage('3b', 'PostgreSQL unreachable for 60 s', 'normalize', 60_000));
});
