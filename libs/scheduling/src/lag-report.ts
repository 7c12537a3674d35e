import type { Queryable } from '@spine/platform/db/pool';
import { seriesFromWire, toWireSeries, type WireSeries } from '@spine/platform/dataset/wire-partition';
import type { PeriodCalendar } from '@spine/platform/time/period-calendar';
import { duePeriods, expectedAt, latestDuePeriod, loadSchedulePeriods } from './publication-calendar.ts';
import { lagHours } from './lag-alerts.ts';
import { weekStates, type WeekState } from './week-state.ts';
import { loadSchedules } from './schedules-repo.ts';
import type { Schedule } from './schedule.ts';

export interface ScheduleLag extends WireSeries {
  /** The schedule's dataset (core_expected_schedules.domain). */
  dataset: string;
  schedule_id: number;
  expected_week: string;
  expected_at: string;
  latest_complete_week: string | null;
  missing_weeks: string[];
  /** The missing weeks the source does not list as published yet (FINRA's partitions); null when it cannot tell. */
  unpublished_weeks: string[] | null;
  /** Hours since the oldest missing week was due (0 when none is missing). */
  lag_hours: number;
  open_alerts: { week_ending: string; severity: string }[];
}

/** What a source says it has published (structurally the platform's PublishedPartitions). */
export interface PublishedLookup {
  has(firstKey: string, period: string): boolean;
}

/**
 * The published periods of a dataset on a schedule's source back to `oldestPeriod`, or undefined when the source
 * cannot list them. One source spec (`finra`) asks a different publisher's dataset for each dataset.
 */
export type PublicationProvider = (dataset: string, source: string, oldestPeriod: string) => Promise<PublishedLookup | undefined>;

/** A schedule's lookup among the answers of publicationLookups and lookUpSources: per dataset and source. */
export function publicationKey(schedule: Pick<Schedule, 'domain' | 'source'>): string {
  return `${schedule.domain} ${schedule.source}`;
}

export interface ScheduleView {
  schedule: Schedule;
  /** The periods the schedule steps through (weeks, or its exchange's trading days). */
  periods: PeriodCalendar;
  due: string[];
  states: Map<string, WeekState>;
  lag: ScheduleLag;
}

/** Reads where one schedule's due weeks stand and summarises its lag; `published` tells unpublished weeks apart. */
export async function viewSchedule(db: Queryable, schedule: Schedule, periods: PeriodCalendar, now: Date, published?: PublishedLookup): Promise<ScheduleView> {
  const series = seriesFromWire(schedule);
  const due = duePeriods(schedule, periods, now);
  const states = await weekStates(db, schedule.domain, series, schedule.stage, due);
  // A gated week is not re-run on every tick (same content, same verdict): only a revision check can move it.
  const missing = due.filter((w) => !states.get(w)?.complete && !states.get(w)?.gated);
  const { rows } = await db.query<{ week: string | null }>(
    `SELECT to_char(max(c.period_end), 'YYYY-MM-DD') AS week FROM core_captures c
       JOIN core_manifest m ON m.capture_id = c.capture_id AND m.stage = $3 AND m.status = 'completed'
      WHERE c.domain = $1 AND c.key_1 = $2 AND c.key_2 = $4`,
    [schedule.domain, series.key1, schedule.stage, series.key2],
  );
  const oldestMissing = missing.filter((w) => !states.get(w)?.available).at(-1);
  const expected = latestDuePeriod(schedule, periods, now);
  return {
    schedule, periods, due, states,
    lag: {
      dataset: schedule.domain, ...toWireSeries(series), schedule_id: schedule.schedule_id, expected_week: expected, expected_at: expectedAt(schedule, periods, expected).toISOString(),
      latest_complete_week: rows[0]?.week ?? null, missing_weeks: missing,
      unpublished_weeks: published ? missing.filter((w) => !published.has(series.key1, w)) : null,
      lag_hours: oldestMissing ? Math.max(0, Math.round(lagHours(now, expectedAt(schedule, periods, oldestMissing)) * 10) / 10) : 0,
      open_alerts: due.flatMap((w) => (states.get(w)?.open ?? []).map((severity) => ({ week_ending: w, severity }))),
    },
  };
}

/** The lag of every enabled schedule at `now`: what `spine lag`, `/api/lag` and the lag gauges report. */
export async function lagReport(db: Queryable, now: Date, publication?: PublicationProvider, onLookupError?: (source: string, error: Error) => void): Promise<ScheduleLag[]> {
  const schedules = await loadSchedules(db);
  const periodsOf = await loadSchedulePeriods(db, schedules);
  const lookups = await publicationLookups(schedules, periodsOf, now, publication, onLookupError);
  const out: ScheduleLag[] = [];
  for (const schedule of schedules) out.push((await viewSchedule(db, schedule, periodsOf(schedule), now, lookups.get(publicationKey(schedule)))).lag);
  return out;
}

/**
 * One publication lookup per source, back to the oldest week any of its schedules looks at. A source that cannot
 * be asked (FINRA down) leaves its weeks undistinguished, as without a provider: the tick still enqueues them.
 */
export async function publicationLookups(
  schedules: Schedule[], periodsOf: (schedule: Schedule) => PeriodCalendar, now: Date, publication: PublicationProvider | undefined,
  onLookupError?: (source: string, error: Error) => void,
): Promise<Map<string, PublishedLookup>> {
  const wanted: SourceLookup[] = [];
  for (const schedule of schedules) {
    const oldest = duePeriods(schedule, periodsOf(schedule), now).at(-1);
    if (oldest !== undefined) wanted.push({ schedule, oldest });
  }
  return lookUpSources(wanted, publication, onLookupError);
}

/** One schedule's dataset and source, and the oldest period to ask about. */
export interface SourceLookup {
  schedule: Pick<Schedule, 'domain' | 'source'>;
  oldest: string;
}

/**
 * Asks each dataset's source (once) which periods it published back to the oldest any of its schedules asks about;
 * one that fails is left out. The answers are by publicationKey.
 */
export async function lookUpSources(
  wanted: readonly SourceLookup[], publication: PublicationProvider | undefined, onLookupError?: (source: string, error: Error) => void,
): Promise<Map<string, PublishedLookup>> {
  const lookups = new Map<string, PublishedLookup>();
  if (!publication) return lookups;
  const oldestByKey = new Map<string, SourceLookup>();
  for (const want of wanted) {
    const key = publicationKey(want.schedule);
    const known = oldestByKey.get(key);
    if (known === undefined || want.oldest < known.oldest) oldestByKey.set(key, want);
  }
  for (const [key, { schedule, oldest }] of oldestByKey) {
    try {
      const lookup = await publication(schedule.domain, schedule.source, oldest);
      if (lookup) lookups.set(key, lookup);
    } catch (error) {
      onLookupError?.(schedule.source, error as Error);
    }
  }
  return lookups;
}

/**
 * Complete (or gated) weeks recent enough (within revision_lookback_weeks of the newest due week) to re-fetch, at
 * most every recheckHours, for a FINRA revision.
 */
export function revisionCandidates(view: ScheduleView, now: Date, recheckHours: number): string[] {
  const newest = view.due[0]!;
  const oldest = view.periods.shift(newest, -(view.schedule.revision_lookback_weeks - 1));
  return view.due.filter((w) => {
    const s = view.states.get(w);
    if (!(s?.complete || s?.gated) || w < oldest || view.schedule.revision_lookback_weeks === 0) return false;
    return !s.last_revision_check_at || now.getTime() - s.last_revision_check_at.getTime() >= recheckHours * 3_600_000;
  });
}
