import { seriesFromWire, wireLabel, wireSeriesOf, type DatasetDefinition, type WirePartition, type WireSeries } from '@spine/platform';

/** One partition of a batch, as job data names it. */
export type WeekKey = WirePartition;

/**
 * Deterministic job ids, `<partition>-<stage>` with the partition as the dataset's codec names it: adding a week
 * that is already queued is a no-op. A forced run carries its batch id, so it is a new chain beside any earlier one.
 */
export function stageJobId(dataset: DatasetDefinition, week: WireSeries, weekEnding: string, stage: string, forcedBy?: string): string {
  return `${dataset.codec.jobIdPart({ periodEnd: weekEnding, ...seriesFromWire(week) })}-${stage}${forcedBy ? `-${forcedBy}` : ''}`;
}

export function batchJobId(batchId: string): string {
  return `batch-${batchId}`;
}

/** The window job of one series of a backfill: window stages run per series, in period order. */
export function tierWindowsJobId(batchId: string, dataset: DatasetDefinition, group: WireSeries): string {
  return `${batchJobId(batchId)}-${dataset.codec.seriesIdPart(seriesFromWire(group))}`;
}

/** The key of a series, for maps and sets. */
export function windowGroupKey(group: WireSeries): string {
  return wireLabel(wireSeriesOf(group));
}
