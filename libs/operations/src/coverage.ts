import type { Queryable } from '@spine/platform/db/pool';
import type { DatasetDefinition, SeriesKey } from '@spine/platform/dataset/dataset-definition';
import { seriesFromWire, toWire, wireColumns, wireLabel, wireSeriesOf, type WirePartition, type WireSeries } from '@spine/platform/dataset/wire-partition';
import { loadPeriodCalendar, type PeriodCalendar } from '@spine/platform/time/period-calendar';
import { expectedAt, latestDuePeriod } from '@spine/scheduling/publication-calendar';
import { loadSchedules } from '@spine/scheduling/schedules-repo';
import { lookUpSources, publicationKey, type PublicationProvider } from '@spine/scheduling/lag-report';
import type { Schedule } from '@spine/scheduling/schedule';

export type CoverageState = 'complete' | 'revised' | 'running' | 'failed' | 'gated' | 'not_published' | 'missing' | 'not_due';

/** Every state a cell can be in, in the legend's order, with what it means for an operator. */
export const COVERAGE_STATES: readonly { state: CoverageState; label: string; meaning: string }[] = [
  { state: 'complete', label: 'complete', meaning: 'every stage of the newest capture completed' },
  { state: 'revised', label: 'revised', meaning: 'complete, from a revision the publisher released later (revision 2 or more)' },
  { state: 'running', label: 'running', meaning: 'a run is queued or in progress' },
  { state: 'failed', label: 'failed', meaning: 'the last run failed: open the partition to retry it' },
  { state: 'gated', label: 'gated', meaning: 'the quality gate stopped it: too many rejected lines' },
  { state: 'not_published', label: 'not published', meaning: 'due, but the source does not list it yet: the source is late, not this system' },
  { state: 'missing', label: 'missing', meaning: 'due and not loaded (published, or the source cannot tell)' },
  { state: 'not_due', label: 'not due', meaning: 'not expected yet by its schedule\'s publication calendar' },
];

/** One schedule's series: a column of the grid. */
export interface CoverageColumn extends WireSeries {
  schedule_id: number;
  source: string;
}

export interface CoverageCell extends WirePartition {
  state: CoverageState;
  /** When the schedule expects the week (ISO, UTC). */
  expected_at: string;
  /** Whether the source lists the week as published; null when it cannot tell or was not asked. */
  published: boolean | null;
  capture_id: string | null;
  revision: number | null;
  /** Stage -> status of the newest capture. */
  stages: Record<string, string>;
  /** The newest batch that ran the partition. */
  batch_id: string | null;
}

export interface CoverageGrid {
  /** The rows, newest first: consecutive Fridays. */
  weeks: string[];
  columns: CoverageColumn[];
  /** One per week and column, in row then column order. */
  cells: CoverageCell[];
  /** The newest week any schedule expects by now. */
  newest_due: string;
}

export interface CoverageOptions {
  now: Date;
  /** How many weeks to show. */
  weeks: number;
  /** The newest week to show (a Friday); the newest week any schedule expects by now when absent. */
  until?: string;
  /** Tells unpublished weeks apart (FINRA's partitions); without it no cell is `not_published`. */
  publication?: PublicationProvider;
  onLookupError?: (source: string, error: Error) => void;
  /** The dataset's periods when the caller has them already (a page that checked `until` against them). */
  periods?: PeriodCalendar;
}

/**
 * The coverage grid from the publication calendar: a column per enabled schedule of the dataset, a row per period,
 * and a cell for every partition whether or not anything ran for it, so a period nobody loaded shows as missing.
 */
export async function coverageGrid(db: Queryable, dataset: Pick<DatasetDefinition, 'name' | 'period'>, options: CoverageOptions): Promise<CoverageGrid> {
  const schedules = await domainSchedules(db, dataset.name);
  const periods = options.periods ?? await loadPeriodCalendar(db, dataset.period);
  const newestDue = schedules.map((s) => latestDuePeriod(s, periods, options.now)).sort().at(-1) ?? periods.onOrBefore(options.now.toISOString().slice(0, 10));
  const top = options.until && options.until < newestDue ? options.until : newestDue;
  const weeks = Array.from({ length: options.weeks }, (_, i) => periods.shift(top, -i));
  const columns = schedules.map((s) => ({ schedule_id: s.schedule_id, ...wireSeriesOf(s), source: s.source }));
  return { weeks, columns, cells: await coverageCells(db, schedules, periods, weeks, options), newest_due: newestDue };
}

async function domainSchedules(db: Queryable, domain: string): Promise<Schedule[]> {
  return (await loadSchedules(db)).filter((s) => s.domain === domain);
}

/** The cells of some weeks (newest first) for the given schedules, in week then schedule order. */
export async function coverageCells(db: Queryable, schedules: Schedule[], periods: PeriodCalendar, weeks: string[], options: Pick<CoverageOptions, 'now' | 'publication' | 'onLookupError'>): Promise<CoverageCell[]> {
  if (schedules.length === 0 || weeks.length === 0) return [];
  const published = await lookUpSources(schedules.map((schedule) => ({ schedule, oldest: weeks.at(-1)! })), options.publication, options.onLookupError);
  const columns = schedules.map((schedule) => ({ schedule, series: seriesFromWire(schedule) }));
  const loaded = await partitionStates(db, schedules[0]!.domain, weeks, columns.map((c) => c.series));
  return weeks.flatMap((week) => columns.map(({ schedule, series }) => {
    const partition = toWire({ periodEnd: week, ...series });
    const found = loaded.get(wireLabel(partition));
    const lookup = published.get(publicationKey(schedule));
    const isPublished = lookup ? lookup.has(series.key1, week) : null;
    return {
      ...partition,
      state: cellState(schedule, periods, week, options.now, found, isPublished),
      expected_at: expectedAt(schedule, periods, week).toISOString(), published: isPublished,
      capture_id: found?.capture_id ?? null, revision: found?.revision ?? null, stages: found?.stages ?? {}, batch_id: found?.batch_id ?? null,
    };
  }));
}

/** The enabled schedule of one partition's series, if any. */
export async function partitionSchedule(db: Queryable, domain: string, series: SeriesKey): Promise<Schedule | undefined> {
  return (await domainSchedules(db, domain)).find((s) => {
    const { key1, key2 } = seriesFromWire(s);
    return key1 === series.key1 && key2 === series.key2;
  });
}

export interface LoadedPartition {
  capture_id: string | null;
  revision: number | null;
  stages: Record<string, string>;
  batch_id: string | null;
  week_status: string | null;
}

/** What ran for each partition of the weeks and series, by its wireLabel: the stage states of its newest capture and its newest week run. */
async function partitionStates(db: Queryable, domain: string, weeks: string[], series: SeriesKey[]): Promise<Map<string, LoadedPartition>> {
  const { rows } = await db.query<LoadedPartition & WirePartition>(
    `WITH latest AS (
       SELECT DISTINCT ON (period_end, key_1, key_2) period_end, key_1, key_2, capture_id, revision FROM core_captures
        WHERE domain = $1 AND period_end = ANY($2::date[]) ORDER BY period_end, key_1, key_2, revision DESC),
     last_week_run AS (
       SELECT DISTINCT ON (period_end, key_1, key_2) period_end, key_1, key_2, status, batch_id FROM core_executions
        WHERE stage = 'week' AND period_end = ANY($2::date[]) ORDER BY period_end, key_1, key_2, started_at DESC),
     partitions AS (SELECT w AS period_end, k.key_1, k.key_2 FROM unnest($2::date[]) AS w CROSS JOIN unnest($3::text[], $4::text[]) AS k(key_1, key_2)),
     -- The stages of all the newest captures in one grouped pass, not a lookup per partition (a 208-week grid has 1,248).
     stages AS (
       SELECT m.capture_id, jsonb_object_agg(m.stage, m.status) AS stages FROM core_manifest m JOIN latest l USING (capture_id) GROUP BY m.capture_id)
     SELECT ${wireColumns('p')}, l.capture_id, l.revision, r.batch_id, r.status AS week_status,
            COALESCE(s.stages, '{}') AS stages
       FROM partitions p
       LEFT JOIN latest l USING (period_end, key_1, key_2)
       LEFT JOIN stages s ON s.capture_id = l.capture_id
       LEFT JOIN last_week_run r USING (period_end, key_1, key_2)
      WHERE l.capture_id IS NOT NULL OR r.status IS NOT NULL`,
    [domain, weeks, series.map((s) => s.key1), series.map((s) => s.key2)],
  );
  return new Map(rows.map((r) => [wireLabel(r), r]));
}

/**
 * A partition's state: what ran decides (the newest run going or failed, the newest capture complete or gated);
 * without any run, the calendar and the source decide between not due, not published and missing.
 */
export function cellState(schedule: Schedule, periods: PeriodCalendar, week: string, now: Date, loaded: LoadedPartition | undefined, published: boolean | null): CoverageState {
  const stages = Object.values(loaded?.stages ?? {});
  if (loaded?.week_status === 'running') return 'running';
  if (loaded?.stages[schedule.stage] === 'completed') return (loaded.revision ?? 1) > 1 ? 'revised' : 'complete';
  if (stages.includes('gated') || loaded?.week_status === 'gated') return 'gated';
  if (loaded?.week_status === 'failed' || stages.includes('failed')) return 'failed';
  if (loaded) return 'running';
  if (expectedAt(schedule, periods, week) > now) return 'not_due';
  return published === false ? 'not_published' : 'missing';
}
