import { DateTime } from 'luxon';
import { addDays, addWeeks, parseIsoDate, toIsoDate, weekEndingOnOrBefore } from '@spine/platform/time/week-ending';
import type { Schedule } from './schedule.ts';

type Calendar = Pick<Schedule, 'publication_lag_weeks' | 'expected_day_of_week' | 'expected_time' | 'timezone'>;

/** The publication date of a week: the first expected weekday on or after week_ending + lag weeks. */
export function publicationDate(schedule: Calendar, weekEnding: string): string {
  const earliest = addWeeks(weekEnding, schedule.publication_lag_weeks);
  const weekday = parseIsoDate(earliest)!.getUTCDay();
  return addDays(earliest, (schedule.expected_day_of_week - weekday + 7) % 7);
}

/** When a week's data is expected: its publication date at expected_time in the schedule's time zone (luxon). */
export function expectedAt(schedule: Calendar, weekEnding: string): Date {
  const local = DateTime.fromISO(`${publicationDate(schedule, weekEnding)}T${schedule.expected_time}`, { zone: schedule.timezone });
  if (!local.isValid) throw new Error(`schedule time ${schedule.expected_time} in ${schedule.timezone} is invalid: ${local.invalidExplanation}`);
  return local.toJSDate();
}

/** The newest week whose expected time has passed at `now`. */
export function latestDueWeek(schedule: Calendar, now: Date): string {
  let week = weekEndingOnOrBefore(toIsoDate(now));
  while (expectedAt(schedule, week) > now) week = addWeeks(week, -1);
  return week;
}

/** The weeks that should be published by `now`, newest first, at most lookback_weeks of them. */
export function dueWeeks(schedule: Calendar & Pick<Schedule, 'lookback_weeks'>, now: Date): string[] {
  const latest = latestDueWeek(schedule, now);
  return Array.from({ length: schedule.lookback_weeks }, (_, i) => addWeeks(latest, -i));
}
