import type { Tier, VenueType } from '@spine/otc';

export type WeekStage = 'fetch' | 'ingest' | 'normalize' | 'aggregate' | 'rolling' | 'snapshot';

/** One partition of a batch: a week of one tier and venue type. */
export interface WeekKey {
  tier: Tier;
  venue_type: VenueType;
  week_ending: string;
}

/** The venue type in ids: absent for ATS, whose ids are those it had before the venue type existed. */
function venueSegment(venueType: VenueType): string {
  return venueType === 'ATS' ? '' : `-${venueType}`;
}

/**
 * Deterministic job ids (`otc-NMS_TIER_1-2025-12-12-ingest`, `otc-OTC-NON_ATS-2025-12-12-ingest`): adding a week
 * that is already queued is a no-op. A forced run carries its batch id, so it is a new chain beside any earlier one.
 */
export function stageJobId(week: Pick<WeekKey, 'tier' | 'venue_type'>, weekEnding: string, stage: WeekStage, forcedBy?: string): string {
  return `otc-${week.tier}${venueSegment(week.venue_type)}-${weekEnding}-${stage}${forcedBy ? `-${forcedBy}` : ''}`;
}

export function batchJobId(batchId: string): string {
  return `batch-${batchId}`;
}

/** The window job of one tier and venue type of a backfill: rolling windows and snapshots run per partition series. */
export function tierWindowsJobId(batchId: string, group: Pick<WeekKey, 'tier' | 'venue_type'>): string {
  return `${batchJobId(batchId)}-${group.tier}${venueSegment(group.venue_type)}`;
}

/** The key of a tier x venue type window group, for maps and sets. */
export function windowGroupKey(group: Pick<WeekKey, 'tier' | 'venue_type'>): string {
  return `${group.tier} ${group.venue_type}`;
}
