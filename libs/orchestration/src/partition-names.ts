import type { DatasetDefinition } from '@spine/platform';
import { wireSeriesName } from '@spine/platform/dataset/wire-partition';
import { periodWords } from '@spine/platform/time/period-calendar';
import type { WeekKey } from './job-ids.ts';

/** A partition as messages name it: its series, then its period ("OTC ATS 2025-12-05", "N 2025-01-06"). */
export function partitionName(dataset: Pick<DatasetDefinition, 'keys'>, partition: WeekKey): string {
  return `${wireSeriesName(dataset, partition)} ${partition.week_ending}`;
}

/** What messages call the dataset's periods: "week", "trading day", "month". */
export function periodNoun(dataset: Pick<DatasetDefinition, 'period'>): string {
  return periodWords(dataset.period.kind).one;
}
