import { parseIsoDate, toIsoDate } from './week-ending.ts';

/**
 * Calendar months, named by their last day (`2025-11-30`) as a week is by its Friday: the date a monthly
 * partition's period column holds, always YYYY-MM-DD in calendar (UTC) arithmetic.
 */

/** The last day of the month `months` after the one containing `date` (before it when negative). */
function lastDayOf(date: Date, months = 0): string {
  return toIsoDate(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months + 1, 0)));
}

/** Why a string names no month (a date that is not a month's last day), or undefined when it names one. */
export function monthEndProblem(value: string): string | undefined {
  const date = parseIsoDate(value);
  if (!date) return `"${value}" is not a date in YYYY-MM-DD form`;
  const end = lastDayOf(date);
  return end === value ? undefined : `${value} is not the last day of its month; a month is named by its last day (${end})`;
}

/** The last day of the month containing `isoDate` (any date). */
export function monthEndOnOrAfter(isoDate: string): string {
  const date = parseIsoDate(isoDate);
  if (!date) throw new RangeError(`not an ISO date: ${isoDate}`);
  return lastDayOf(date);
}

/** The newest month end on or before `isoDate` (the previous month's when the day is not its month's last). */
export function monthEndOnOrBefore(isoDate: string): string {
  const end = monthEndOnOrAfter(isoDate);
  return end === isoDate ? end : addMonthEnds(end, -1);
}

/** The month end `months` months after `monthEnd` (before it when negative). */
export function addMonthEnds(monthEnd: string, months: number): string {
  const date = parseIsoDate(monthEnd);
  if (!date) throw new RangeError(`not an ISO date: ${monthEnd}`);
  return lastDayOf(date, months);
}

/** Every month end from `from` to `to` inclusive, oldest first. */
export function monthEndsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let end = monthEndOnOrAfter(from); end <= to; end = addMonthEnds(end, 1)) out.push(end);
  return out;
}
