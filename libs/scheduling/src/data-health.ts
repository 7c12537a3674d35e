import { toWireSeries, type DatasetDefinition, type PeriodCalendar, type Queryable, type SeriesKey, type WireSeries } from '@spine/platform';
import type { WeekFigures } from './week-figures.ts';

/** Where a schedule's partition stands, from its latest loaded week's current capture: what the data gauges export. */
export interface PartitionHealth extends WireSeries {
  dataset: string;
  latest_week: string | null;
  records: number | null;
  records_rolling_average: number | null;
  quality_score: number | null;
  /** Symbols of the week before the latest that the latest week lacks; null without both weeks. */
  symbols_missing: number | null;
}

/** The health of a series whose latest complete week is `latestWeek`, given the figures of it and of the week before. */
export async function partitionHealth(db: Queryable, dataset: DatasetDefinition, series: SeriesKey, periods: PeriodCalendar, latestWeek: string | null, figures: Map<string, WeekFigures>): Promise<PartitionHealth> {
  const latest = latestWeek === null ? undefined : figures.get(latestWeek);
  const previous = latestWeek === null ? undefined : figures.get(periods.shift(latestWeek, -1));
  return {
    dataset: dataset.name, ...toWireSeries(series), latest_week: latestWeek,
    records: latest?.records ?? null, records_rolling_average: latest?.records_rolling_average ?? null, quality_score: latest?.quality_score ?? null,
    symbols_missing: latest && previous && dataset.symbolsMissing ? await dataset.symbolsMissing(db, previous.capture_id, latest.capture_id) : null,
  };
}

export interface RunningBatch {
  kind: string;
  /** When the oldest batch of this kind still running was created. */
  started_at: string;
}

/** The oldest batch still running, per kind (manual, backfill, scheduled, demo). */
export async function oldestRunningBatches(db: Queryable): Promise<RunningBatch[]> {
  const { rows } = await db.query<{ kind: string; started_at: Date }>(
    `SELECT kind, min(created_at) AS started_at FROM core_batches WHERE status = 'running' GROUP BY kind ORDER BY kind`,
  );
  return rows.map((r) => ({ kind: r.kind, started_at: r.started_at.toISOString() }));
}
