import { describe, expect, it } from 'vitest';
import { NO_SECOND_KEY, type DatasetDefinition } from '@spine/platform';
import {
  batchContext, describeAction, planBatch, weekJobData, type BatchSnapshot, type ChainSnapshot, type JobSnapshot, type OpenBatch, type WeekRow,
} from '../src/reconcile-plan.ts';
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
function chain(b: OpenBatch, w: WeekRow, states: string[] = [], jobBatch = BATCH, ds: DatasetDefinition = dataset): ChainSnapshot {
  const context = batchContext(b, 0.05);
  if (typeof context === 'string') throw new Error(context);
  const data = weekJobData(ds, b, context, w);
  return {
    week: w, data,
    jobs: chainStages(ds, data.last_stage).map(({ name: stage }, i) => {
      const state = states[i] ?? 'missing';
      const job: JobSnapshot = state === 'missing' ? { id: stageJobId(ds, w, w.week_ending, stage), state } : { id: stageJobId(ds, w, w.week_ending, stage), state, batch_id: jobBatch, data: { batch_id: jobBatch }, failed_reason: state === 'failed' ? 'boom' : undefined };
      return { stage, ...job };
    }),
  };
}

function snapshot(b: OpenBatch, chains: ChainSnapshot[], extra: Partial<BatchSnapshot> = {}): BatchSnapshot {
  const context = batchContext(b, 0.05);
  if (typeof context === 'string') throw new Error(context);
  return { dataset, batch: b, context, chains, windows: [], weeks: chains.map((c) => c.week), open: true, ...extra };
}

/**
 * Shaped as Reg SHO is: one key, trading days, a fetch and one stage of its own, no window stage (its backfills still
 * hang their chains under a window job per series and a finalize job).
 */
const dailyDataset: DatasetDefinition = {
  ...dataset, name: 'daily_test', period: { kind: 'trading_day', calendar: 'XNYS', field: 'trade_date', label: 'Trade date' },
  keys: [dataset.keys[0]], stages: dataset.stages.slice(0, 2),
};

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

  describe('in the dataset\'s words (what spine reconcile prints)', () => {
    const day = (n: number, tier: string, status = 'running'): WeekRow =>
      ({ execution_id: `d${tier}${n}`, tier, venue_type: NO_SECOND_KEY, week_ending: `2025-01-${String(n).padStart(2, '0')}`, status });
    const dailyBatch = (weeksTotal: number): OpenBatch => ({ ...batch(weeksTotal), domain: dailyDataset.name });
    const dailyChain = (b: OpenBatch, w: WeekRow, states: string[] = []) => chain(b, w, states, BATCH, dailyDataset);

    it('names a one-key dataset\'s partitions by its key and trading day, never its implicit second key', () => {
      const b = dailyBatch(3);
      const chains = [dailyChain(b, day(6, 'OTC')), dailyChain(b, day(7, 'OTC')), dailyChain(b, day(6, 'NMS_TIER_1'))];
      const windows = chains.map((c) => ({ group: { tier: c.week.tier, venue_type: c.week.venue_type }, job: { id: tierWindowsJobId(BATCH, dailyDataset, c.week), state: 'missing' } }));
      const rebuild = planBatch(snapshot(b, chains, { dataset: dailyDataset, finalize: { id: batchJobId(BATCH), state: 'missing' }, windows }));
      expect(rebuild.map((a) => describeAction(dailyDataset, BATCH, a))).toEqual([{
        batch_id: BATCH, dataset: 'daily_test', action: 'recreate_finalize', job_id: 'batch-b1',
        detail: 'finalize-batch with window jobs of OTC, NMS_TIER_1 re-created (trading days: OTC 2025-01-06, OTC 2025-01-07, NMS_TIER_1 2025-01-06)',
      }]);
      const lostWindow = planBatch(snapshot(b, chains, { dataset: dailyDataset, finalize: { id: batchJobId(BATCH), state: 'waiting-children' }, windows: [windows[0]!, { ...windows[2]!, job: { ...windows[2]!.job, state: 'waiting-children' } }] }));
      expect(lostWindow.map((a) => describeAction(dailyDataset, BATCH, a).detail)).toEqual([
        `tier-windows OTC re-created under batch-b1 (trading days: OTC 2025-01-06, OTC 2025-01-07)`,
        `NMS_TIER_1 2025-01-06 under ${tierWindowsJobId(BATCH, dailyDataset, chains[2]!.week)}`,
      ]);
    });

    it('says a one-partition batch of trading days ended with its trading day, and re-creates its chain by the partition\'s name', () => {
      const b = dailyBatch(1);
      const lost = dailyChain(b, day(8, 'OTC'));
      expect(planBatch(snapshot(b, [lost], { dataset: dailyDataset })).map((a) => describeAction(dailyDataset, BATCH, a)))
        .toEqual([{ batch_id: BATCH, dataset: 'daily_test', action: 'recreate_week', job_id: stageJobId(dailyDataset, lost.week, '2025-01-08', 'load'), detail: 'OTC 2025-01-08' }]);
      const ended = planBatch(snapshot(b, [dailyChain(b, day(8, 'OTC', 'completed'), ['completed', 'completed'])], { dataset: dailyDataset }));
      expect(ended).toEqual([{ kind: 'close_batch', status: 'completed', reason: 'its trading day ended completed and no job was left to close the batch' }]);
      expect(planBatch(snapshot(b, [], { dataset: dailyDataset, weeks: [] }))).toEqual([{ kind: 'close_batch', status: 'failed', reason: 'the batch has no trading days recorded' }]);
    });

    it('names a two-key weekly dataset\'s partitions by both keys and the week, as before', () => {
      const b = batch(2);
      const chains = [chain(b, week(5, 'running', 'NMS_TIER_1')), chain(b, week(5, 'running', 'OTC'))];
      const plan = planBatch(snapshot(b, chains, { finalize: { id: batchJobId(BATCH), state: 'missing' } }));
      expect(plan.map((a) => describeAction(dataset, BATCH, a))).toEqual([{
        batch_id: BATCH, dataset: 'weekly_test', action: 'recreate_finalize', job_id: 'batch-b1',
        detail: 'finalize-batch with window jobs of NMS_TIER_1 ATS, OTC ATS re-created (weeks: NMS_TIER_1 ATS 2025-12-05, OTC ATS 2025-12-05)',
      }]);
    });
  });
});
