import type { Queryable } from '@spine/platform/db/pool';
import { wireSeriesOf, type WirePartition, type WireSeries } from '@spine/platform/dataset/wire-partition';
import { expectedAt, loadSchedulePeriods } from '@spine/scheduling/publication-calendar';
import { lagHours } from '@spine/scheduling/lag-alerts';
import { loadSchedules } from '@spine/scheduling/schedules-repo';
import { publicationKey, publicationLookups, viewSchedule, type PublicationProvider } from '@spine/scheduling/lag-report';
import { coverageCells, type CoverageState } from './coverage.ts';

/** Late weeks of one kind: how many, the oldest, and hours since the oldest was expected. */
export interface LateWeeks {
  count: number;
  oldest: string | null;
  late_hours: number;
}

/** A due partition that has not arrived. */
export interface MissingPartition extends WirePartition {
  dataset: string;
  expected_at: string;
  late_hours: number;
  /** not_published: the source's lateness; missing, running, failed: ours. */
  state: CoverageState;
}

export interface LagRow extends WireSeries {
  schedule_id: number;
  dataset: string;
  source: string;
  expected_week: string;
  expected_at: string;
  latest_complete_week: string | null;
  /** Due weeks the source has not published: it is late, not this system. Null when the source cannot tell. */
  not_published: LateWeeks | null;
  /** Due weeks published (or on a source that cannot tell) and not loaded: this system is late. */
  not_loaded: LateWeeks;
  open_alerts: { week_ending: string; severity: string }[];
  /** One per partition not arrived, newest first. */
  missing: MissingPartition[];
}

/** Lateness in days and hours (`3 d 4 h`, `5 h`, `0 h`): hours alone stop reading well past a day. */
export function lagText(hours: number): string {
  const whole = Math.max(0, Math.round(hours));
  const days = Math.floor(whole / 24);
  return days > 0 ? `${days} d ${whole % 24} h` : `${whole} h`;
}

function lateWeeks(weeks: MissingPartition[]): LateWeeks {
  const oldest = weeks.at(-1);
  return { count: weeks.length, oldest: oldest?.week_ending ?? null, late_hours: oldest ? Math.max(0, oldest.late_hours) : 0 };
}

/**
 * The lag of every enabled schedule, with the source's lateness apart from this system's: each counted from the
 * oldest week of its own kind, so weeks FINRA never published do not make the pipeline look weeks behind. Weeks
 * whose data is there while a revision is processed are not late.
 */
export async function lagOverview(db: Queryable, now: Date, publication?: PublicationProvider, onLookupError?: (source: string, error: Error) => void): Promise<LagRow[]> {
  const schedules = await loadSchedules(db);
  const periodsOf = await loadSchedulePeriods(db, schedules);
  const lookups = await publicationLookups(schedules, periodsOf, now, publication, onLookupError);
  const out: LagRow[] = [];
  for (const schedule of schedules) {
    const lookup = lookups.get(publicationKey(schedule));
    const view = await viewSchedule(db, schedule, periodsOf(schedule), now, lookup);
    const waiting = view.lag.missing_weeks.filter((w) => !view.states.get(w)?.available);
    const cells = await coverageCells(db, [schedule], view.periods, waiting, { now, publication: lookup ? async () => lookup : undefined });
    // A week the source does not list is its lateness even when a run of it failed: that run could not succeed.
    const missing = cells.map((c) => ({
      dataset: schedule.domain, ...wireSeriesOf(c), week_ending: c.week_ending, expected_at: c.expected_at,
      state: c.published === false && c.state !== 'running' ? 'not_published' as const : c.state,
      late_hours: Math.round(lagHours(now, expectedAt(schedule, view.periods, c.week_ending)) * 10) / 10,
    }));
    out.push({
      schedule_id: schedule.schedule_id, dataset: schedule.domain, ...wireSeriesOf(schedule), source: schedule.source,
      expected_week: view.lag.expected_week, expected_at: view.lag.expected_at, latest_complete_week: view.lag.latest_complete_week,
      not_published: lookup ? lateWeeks(missing.filter((m) => m.state === 'not_published')) : null,
      not_loaded: lateWeeks(missing.filter((m) => m.state !== 'not_published')),
      open_alerts: view.lag.open_alerts, missing,
    });
  }
  return out;
}
