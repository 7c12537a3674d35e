import { partitionKeys, type DatasetDefinition } from '@spine/platform';
import type { SeriesKey, WeekKey } from './job-ids.ts';

/**
 * A series as messages name it: the values of the dataset's own keys ("OTC ATS"; "N" for a one-key dataset, whose
 * implicit second key people never see).
 */
export function seriesName(dataset: Pick<DatasetDefinition, 'keys'>, series: SeriesKey): string {
  return partitionKeys(dataset)[1].implicit ? series.tier : `${series.tier} ${series.venue_type}`;
}

/** A partition as messages name it: its series, then its period ("OTC ATS 2025-12-05", "N 2025-01-06"). */
export function partitionName(dataset: Pick<DatasetDefinition, 'keys'>, partition: WeekKey): string {
  return `${seriesName(dataset, partition)} ${partition.week_ending}`;
}

/** What messages call the dataset's periods: "week", "trading day". */
export function periodNoun(dataset: Pick<DatasetDefinition, 'period'>): string {
  return dataset.period.kind.replace('_', ' ');
}
