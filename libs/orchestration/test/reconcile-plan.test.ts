import { describe, expect, it } from 'vitest';
import { batchContext, planBatch, weekJobData, type BatchSnapshot, type ChainSnapshot, type JobSnapshot, type OpenBatch, type WeekRow } from '../src/reconcile-plan.ts';
import { chainStages } from '../src/flow-tree.ts';
import { batchJobId, stageJobId, tierWindowsJobId } from '../src/job-ids.ts';
import { weeklyTestDataset as dataset } from './support/weekly-test-dataset.ts';

const BATCH = 'b1';
const batch = (weeksTotal: number): OpenBatch => ({
  batch_id: BATCH, domain: dataset.name, weeks_total: weeksTotal, params: { source: 'finra', force: false, max_reject_share: 0.05 }, batch_execution_id: 'e0', correlation_id: 'c0',
});
const week = (n: number, status = 'running', tier: WeekRow['tier'] = 'OTC'): WeekRow =>
  ({ execution_id: `w${n}`, tier, venue_type: 'ATS', week_ending: `2025-12-${String(n).padStart(2, '0')}`, status });

/** A chain whose jobs are in the given states, from fetch up (missing beyond the list). */
function chain(b: OpenBatch, w: WeekRow, states: string[] = [], jobBatch = BATCH): ChainSnapshot {
  const context = batchContext(b, 0.05);
  if (typeof context === 'string') throw new Error(context);
  const data = weekJobData(dataset, b, context, w);
  return {
    week: w, data,
    jobs: chainStages(dataset, data.last_stage).map(({ name: stage }, i) => {
      const state = states[i] ?? 'missing';
      const job: JobSnapshot = state === 'missing' ? { id: stageJobId(dataset, w, w.week_ending, stage), state } : { id: stageJobId(dataset, w, w.week_ending, stage), state, batch_id: jobBatch, data: { batch_id: jobBatch }, failed_reason: state === 'failed' ? 'boom' : undefined };
      return { stage, ...job };
    }),
  };
}

function snapshot(b: OpenBatch, chains: ChainSnapshot[], extra: Partial<BatchSnapshot> = {}): BatchSnapshot {
  const context = batchContext(b, 0.05);
  if (typeof context === 'string') throw new Error(context);
  return { dataset, batch: b, context, chains, windows: [], weeks: chains.map((c) => c.week), open: true, ...extra };
}

describe('planBatch (reconcile without Redis)', () => {
  it('plans nothing for a batch closed meanwhile, and closes a batch without weeks', () => {
    const b = batch(1);
    expect(planBatch(snapshot(b, [chain(b, week(5))], { open: false }))).toEqual([]);
    expect(planBatch(snapshot(b, [], { weeks: [] }))).toEqual([{ kind: 'close_batch', status: 'failed', reason: 'the batch has no weeks recorded' }]);
  });

  it('refuses to re-create a batch that was never fully enqueued', () => {
    expect(batchContext({ ...batch(1), batch_execution_id: null }, 0.05)).toMatch(/not fully enqueued/);
    expect(batchContext({ ...batch(1), params: {} }, 0.05)).toMatch(/no batch execution or source/);
    const old = batchContext({ ...batch(1), params: { source: 'finra' } }, 0.07);
    expect(typeof old !== 'string' && old.max_reject_share).toBe(0.07);
  });

  it('re-creates a single week whose chain Redis lost, and leaves one still queued alone', () => {
    const b = batch(1);
    const lost = chain(b, week(5));
    expect(planBatch(snapshot(b, [lost]))).toEqual([{ kind: 'recreate_week', chain: lost }]);
    expect(planBatch(snapshot(b, [chain(b, week(5), ['completed', 'waiting'])]))).toEqual([]);
  });

  it('records a failure nobody recorded and, the week now failed, closes the single-week batch in the same run', () => {
    const b = batch(1);
    const c = chain(b, week(5), ['completed', 'failed']);
    expect(planBatch(snapshot(b, [c]))).toEqual([
      { kind: 'record_final_failure', job_id: c.jobs[1]!.id, stage: 'load', data: { batch_id: BATCH }, failed_reason: 'boom' },
      { kind: 'close_batch', status: 'failed', reason: 'its week ended failed and no job was left to close the batch' },
    ]);
  });

  it('gives up a week whose jobs another batch holds', () => {
    const b = batch(1);
    const c = chain(b, week(5), ['active'], 'b2');
    expect(planBatch(snapshot(b, [c]))[0]).toEqual({ kind: 'supersede_week', week: c.week, job_id: c.jobs[0]!.id, other_batch: 'b2' });
  });

  it('closes a single-week batch whose week ended with nothing left in Redis', () => {
    const b = batch(1);
    expect(planBatch(snapshot(b, [chain(b, week(5, 'completed'), ['completed', 'completed', 'completed', 'completed', 'completed', 'completed'])])))
      .toEqual([{ kind: 'close_batch', status: 'completed', reason: 'its week ended completed and no job was left to close the batch' }]);
  });

  describe('a backfill (finalize <- window job per series <- week chains)', () => {
    const b = batch(3);
    const t1 = chain(b, week(5, 'running', 'NMS_TIER_1'));
    const t1Queued = chain(b, week(12, 'running', 'NMS_TIER_1'), ['waiting']);
    const otc = chain(b, week(5, 'running', 'OTC'));
    const chains = [t1, t1Queued, otc];
    const finalizeId = batchJobId(BATCH);
    const windowOf = (c: ChainSnapshot, state: string) => ({ group: { tier: c.week.tier, venue_type: c.week.venue_type }, job: { id: tierWindowsJobId(BATCH, dataset, c.week), state } });

    it('rebuilds the whole tree when Redis lost everything', () => {
      const plan = planBatch(snapshot(b, chains, { finalize: { id: finalizeId, state: 'missing' }, windows: [windowOf(t1, 'missing'), windowOf(otc, 'missing')] }));
      expect(plan).toEqual([{ kind: 'recreate_finalize', weeks: chains.map((c) => c.week), rebuilt: new Map([['NMS_TIER_1 ATS', [t1]], ['OTC ATS', [otc]]]) }]);
    });

    it('re-creates a lost finalize job, re-attaching the window job that survived and hanging its lost weeks under it', () => {
      const plan = planBatch(snapshot(b, chains, { finalize: { id: finalizeId, state: 'missing' }, windows: [windowOf(t1, 'waiting-children'), windowOf(otc, 'missing')] }));
      expect(plan).toEqual([
        { kind: 'recreate_finalize', weeks: chains.map((c) => c.week), rebuilt: new Map([['OTC ATS', [otc]]]) },
        { kind: 'recreate_week', chain: t1, parent: tierWindowsJobId(BATCH, dataset, t1.week) },
      ]);
    });

    it('re-creates a lost window job under the finalize job that waits for it', () => {
      const plan = planBatch(snapshot(b, chains, { finalize: { id: finalizeId, state: 'waiting-children' }, windows: [windowOf(t1, 'active'), windowOf(otc, 'missing')] }));
      expect(plan).toEqual([
        { kind: 'recreate_week', chain: t1, parent: undefined },
        { kind: 'recreate_tier_windows', group: { tier: 'OTC', venue_type: 'ATS' }, weeks: chains.map((c) => c.week), chains: [otc] },
      ]);
    });

    it('runs lost weeks detached once finalize is under way, and closes a batch finalize already finished', () => {
      expect(planBatch(snapshot(b, chains, { finalize: { id: finalizeId, state: 'active' } }))).toEqual([
        { kind: 'recreate_week', chain: t1 }, { kind: 'recreate_week', chain: otc },
      ]);
      const ended = [chain(b, week(5, 'completed', 'NMS_TIER_1')), chain(b, week(12, 'gated', 'NMS_TIER_1')), chain(b, week(5, 'failed', 'OTC'))];
      expect(planBatch(snapshot(b, ended, { finalize: { id: finalizeId, state: 'completed' } })))
        .toEqual([{ kind: 'close_batch', status: 'partial', reason: 'finalize-batch completed but the batch was left open' }]);
    });

    it('records a failed window job before anything else is re-created', () => {
      const plan = planBatch(snapshot(b, chains, { finalize: { id: finalizeId, state: 'waiting-children' }, windows: [{ ...windowOf(otc, 'failed'), job: { ...windowOf(otc, 'failed').job, data: { x: 1 }, failed_reason: 'lock' } }] }));
      expect(plan).toEqual([{ kind: 'record_final_failure', job_id: tierWindowsJobId(BATCH, dataset, otc.week), stage: 'tier-windows', data: { x: 1 }, failed_reason: 'lock' }]);
    });
  });
});
