import { partitionKeys, type DatasetDefinition, type SeriesKey } from './dataset-definition.ts';

/**
 * Prometheus labels of one series of partitions: `dataset`, `partition` (the keys as people read them, for alert
 * texts and legends whatever the dataset) and each of the dataset's own keys under its field name (`tier` and
 * `venue_type` for one, `market_code` for another). A metric declares the union over the registered datasets; a
 * series carries its own dataset's keys only. Every label is a function of the series, so the set stays bounded.
 */
export type PartitionLabels = Record<string, string>;

const SERIES_LABELS = ['dataset', 'partition'] as const;

/** The label names a partition metric declares: the fixed ones, then every registered dataset's key fields. */
export function partitionLabelNames(datasets: readonly Pick<DatasetDefinition, 'keys'>[]): string[] {
  const names = new Set<string>(SERIES_LABELS);
  for (const dataset of datasets) for (const key of dataset.keys) names.add(key.field);
  return [...names];
}

/**
 * A series as people read it, in labels, tables and messages: the values of the dataset's own keys ("NMS_TIER_1 ATS";
 * "Q" for a one-key dataset, whose implicit second key people never see).
 */
export function seriesName(dataset: Pick<DatasetDefinition, 'keys'>, key1: string, key2: string): string {
  return partitionKeys(dataset)[1].implicit ? key1 : `${key1} ${key2}`;
}

/** The labels of one series of a dataset; an implicit second key (a one-key dataset's) has no label. */
export function partitionLabels(dataset: Pick<DatasetDefinition, 'name' | 'keys'>, series: SeriesKey): PartitionLabels {
  const [first, second] = partitionKeys(dataset);
  const labels: PartitionLabels = { dataset: dataset.name, partition: seriesName(dataset, series.key1, series.key2), [first.field]: series.key1 };
  if (!second.implicit) labels[second.field] = series.key2;
  return labels;
}
