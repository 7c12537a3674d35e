import type { DatasetDefinition } from '@spine/platform/dataset/dataset-definition';
import { seriesFromWire, type WirePartition } from '@spine/platform/dataset/wire-partition';

/** A table's first columns, naming a partition as its dataset names its period and keys (a one-key dataset shows one key). */
export function partitionColumns(dataset: Pick<DatasetDefinition, 'period' | 'keys'>): string[] {
  return [dataset.period.field, ...dataset.keys.map((k) => k.field)];
}

/** A row's cells under partitionColumns. */
export function partitionCells(dataset: Pick<DatasetDefinition, 'keys'>, row: WirePartition): string[] {
  const { key1, key2 } = seriesFromWire(row);
  return [row.week_ending, ...[key1, key2].slice(0, dataset.keys.length)];
}
