import type { Tier } from '@spine/otc';

export type WeekStage = 'fetch' | 'ingest' | 'normalize' | 'aggregate' | 'rolling' | 'snapshot';

/**
 * Deterministic job ids (`otc-NMS_TIER_1-2025-12-12-ingest`): adding a week that is already queued is a no-op.
 * A forced run carries its batch id, so it is a new chain beside any earlier one.
 */
export function stageJobId(tier: Tier, weekEnding: string, stage: WeekStage, forcedBy?: string): string {
  return `otc-${tier}-${weekEnding}-${stage}${forcedBy ? `-${forcedBy}` : ''}`;
}

export function batchJobId(batchId: string): string {
  return `batch-${batchId}`;
}

export function tierWindowsJobId(batchId: string, tier: Tier): string {
  return `${batchJobId(batchId)}-${tier}`;
}
