import type { DatasetDefinition, WirePartition } from '@spine/platform';

/** One partition of a batch, as job data names it. */
export type WeekKey = WirePartition;

/** A series of periods: the partitions of one tier x venue type. */
export type SeriesKey = Pick<WeekKey, 'tier' | 'venue_type'>;

/**
 * Deterministic job ids, `<partition>-<stage>` with the partition as the dataset's codec names it: adding a week
 * that is already queued is a no-op. A forced run carries its batch id, so it is a new chain beside any earlier one.
 */
export function stageJobId(dataset: DatasetDefinition, week: SeriesKey, weekEnding: string, stage: string, forcedBy?: string): string {
  return `${dataset.codec.jobIdPart({ periodEnd: weekEnding, key1: week.tier, key2: week.venue_type })}-${stage}${forcedBy ? `-${forcedBy}` : ''}`;
}

export function batchJobId(batchId: string): string {
  return `batch-${batchId}`;
}

/** The window job of one series of a backfill: window stages run per series, in period order. */
export function tierWindowsJobId(batchId: string, dataset: DatasetDefinition, group: SeriesKey): string {
  return `${batchJobId(batchId)}-${dataset.codec.seriesIdPart({ key1: group.tier, key2: group.venue_type })}`;
}

/** The key of a series, for maps and sets. */
export function windowGroupKey(group: SeriesKey): string {
  return `${group.tier} ${group.venue_type}`;
}
