import { describe, expect, it } from 'vitest';
import type { ExecutionNode } from '@spine/platform';
import { lineageByPartition } from '../src/lineage-groups.ts';

function node(stage: string, partition: [string, string, string] | null, children: ExecutionNode[] = [], over: Partial<ExecutionNode> = {}): ExecutionNode {
  const [tier, venue_type, week_ending] = partition ?? [null, null, null];
  return {
    execution_id: `${stage}-${tier}`, parent_execution_id: null, batch_id: 'backfill-x', pipeline: 'otc_weekly', stage, week_ending, tier, venue_type,
    capture_id: null, status: 'completed', attempt: 1, job_id: null, worker: null, started_at: '', finished_at: null,
    duration_ms: stage === 'week' || stage === 'batch' ? 9999 : 100, error: null, metrics: {}, children, ...over,
  };
}

describe('lineage by partition', () => {
  it('gathers each partition\'s executions, the window stages under the batch included, and keeps the batch\'s own apart', () => {
    const t1 = ['NMS_TIER_1', 'ATS', '2025-11-28'] as [string, string, string];
    const otc = ['OTC', 'NON_ATS', '2025-11-28'] as [string, string, string];
    const tree = [node('batch', null, [
      node('week', t1, [node('fetch', t1), node('ingest', t1)]),
      node('week', otc, [node('fetch', otc, [], { status: 'failed' })], { status: 'failed' }),
      node('rolling', t1),
    ], { status: 'partial' })];
    // Started in the order the tree lists them, as a batch's executions are.
    let clock = 0;
    const stamp = (nodes: ExecutionNode[]): void => nodes.forEach((n) => {
      n.started_at = new Date((clock += 1000)).toISOString();
      stamp(n.children);
    });
    stamp(tree);
    const grouped = lineageByPartition(tree);
    expect(grouped.batch.map((n) => `${n.stage} ${n.status}`)).toEqual(['batch partial']);
    expect(grouped.partitions.map((p) => `${p.tier} ${p.venue_type} ${p.status} ${p.processing_ms}`)).toEqual(['NMS_TIER_1 ATS completed 300', 'OTC NON_ATS failed 100']);
    expect(grouped.partitions[0]!.executions.map((e) => e.stage)).toEqual(['week', 'fetch', 'ingest', 'rolling']);
  });
});
