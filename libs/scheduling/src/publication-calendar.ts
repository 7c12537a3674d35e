import { DateTime } from 'luxon';
import type { Queryable } from '@spine/platform/db/pool';
import { loadPeriodCalendar, type PeriodCalendar } from '@spine/platform/time/period-calendar';
import { addDays, parseIsoDate, toIsoDate } from '@spine/platform/time/week-ending';
import type { Schedule } from './schedule.ts';

type Calendar = Pick<Schedule, 'publication_lag_weeks' | 'expected_day_of_week' | 'expected_time' | 'timezone'>;

type SchedulePeriodKind = Pick<Schedule, 'period_kind' | 'trading_calendar'>;

/** The periods a schedule steps through: weeks, the trading days of its exchange calendar, or months. */
export async function schedulePeriods(db: Queryable, schedule: SchedulePeriodKind): Promise<PeriodCalendar> {
  return loadPeriodCalendar(db, { kind: schedule.period_kind, calendar: schedule.trading_calendar ?? undefined });
}

/** Each schedule's periods, every exchange calendar among them read once (for a tick or a lag report). */
export async function loadSchedulePeriods(db: Queryable, schedules: readonly SchedulePeriodKind[]): Promise<(schedule: SchedulePeriodKind) => PeriodCalendar> {
  const byKind = new Map<string, PeriodCalendar>();
  const kindOf = (schedule: SchedulePeriodKind) => `${schedule.period_kind} ${schedule.trading_calendar ?? ''}`;
  for (const schedule of schedules) {
    if (!byKind.has(kindOf(schedule))) byKind.set(kindOf(schedule), await schedulePeriods(db, schedule));
  }
  return (schedule) => byKind.get(kindOf(schedule))!;
}

/**
 * The publication date of a period: publication_lag_weeks periods after it, then, for weeks, the first expected
 * weekday on or after that.
 */
export function publicationDate(schedule: Calendar, periods: PeriodCalendar, period: string): string {
  const earliest = periods.shift(period, schedule.publication_lag_weeks);
  if (schedule.expected_day_of_week === null) return earliest;
  const weekday = parseIsoDate(earliest)!.getUTCDay();
  return addDays(earliest, (schedule.expected_day_of_week - weekday + 7) % 7);
}

/** When a period's data is expected: its publication date at expected_time in the schedule's time zone (luxon). */
export function expectedAt(schedule: Calendar, periods: PeriodCalendar, period: string): Date {
  const local = DateTime.fromISO(`${publicationDate(schedule, periods, period)}T${schedule.expected_time}`, { zone: schedule.timezone });
  if (!local.isValid) throw new Error(`schedule time ${schedule.expected_time} in ${schedule.timezone} is invalid: ${local.invalidExplanation}`);
  return local.toJSDate();
}

/** The newest period whose expected time has passed at `now`. */
export function latestDuePeriod(schedule: Calendar, periods: PeriodCalendar, now: Date): string {
  let period = periods.onOrBefore(toIsoDate(now));
  while (expectedAt(schedule, periods, period) > now) period = periods.shift(period, -1);
  return period;
}

/** The periods that should be published by `now`, newest first, at most lookback_weeks of them. */
export function duePeriods(schedule: Calendar & Pick<Schedule, 'lookback_weeks'>, periods: PeriodCalendar, now: Date): string[] {
  const latest = latestDuePeriod(schedule, periods, now);
  return Array.from({ length: schedule.lookback_weeks }, (_, i) => periods.shift(latest, -i));
}
