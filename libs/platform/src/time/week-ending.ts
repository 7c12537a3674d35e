/**
 * Week-ending time buckets: a trading week is Monday..Friday and is named by its Friday (`week_ending`),
 * always as an ISO date string YYYY-MM-DD in calendar (UTC) arithmetic, never a local-time Date.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function parseIsoDate(value: string): Date | undefined {
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return toIsoDate(date) === value ? date : undefined;
}

export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function isFriday(isoDate: string): boolean {
  return parseIsoDate(isoDate)?.getUTCDay() === 5;
}

/** Why a string is not a week_ending, or undefined when it is one. */
export function weekEndingProblem(value: string): string | undefined {
  const date = parseIsoDate(value);
  if (!date) return `"${value}" is not a date in YYYY-MM-DD form`;
  if (date.getUTCDay() !== 5) {
    const day = date.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
    return `${value} is a ${day}; week_ending must be a Friday`;
  }
  return undefined;
}

export function addDays(isoDate: string, days: number): string {
  const date = parseIsoDate(isoDate);
  if (!date) throw new RangeError(`not an ISO date: ${isoDate}`);
  return toIsoDate(new Date(date.getTime() + days * DAY_MS));
}

/** Calendar months, clamped to the target month's last day (2025-03-31 minus 1 month is 2025-02-28). */
export function addMonths(isoDate: string, months: number): string {
  const date = parseIsoDate(isoDate);
  if (!date) throw new RangeError(`not an ISO date: ${isoDate}`);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return toIsoDate(target);
}

export function addWeeks(weekEnding: string, weeks: number): string {
  return addDays(weekEnding, weeks * 7);
}

/** FINRA's weekStartDate: the Monday of the week. */
export function weekStartDate(weekEnding: string): string {
  return addDays(weekEnding, -4);
}

/** Throws unless `weekEnding` is a YYYY-MM-DD Friday, so a bad week never reaches a path, key or query. */
export function assertWeekEnding(weekEnding: string): void {
  const problem = weekEndingProblem(weekEnding);
  if (problem) throw new RangeError(problem);
}

/** The Friday of the week starting on the Monday `weekStart`; throws unless it is one. */
export function weekEndingFromStart(weekStart: string): string {
  const weekEnding = addDays(weekStart, 4);
  assertWeekEnding(weekEnding);
  return weekEnding;
}

/** The Friday of the week containing isoDate, or the previous Friday on a weekend. */
export function weekEndingOnOrBefore(isoDate: string): string {
  const date = parseIsoDate(isoDate);
  if (!date) throw new RangeError(`not an ISO date: ${isoDate}`);
  const back = (date.getUTCDay() + 2) % 7; // Fri=0, Sat=1, Sun=2, Mon=3 ...
  return addDays(isoDate, -back);
}

/** Every Friday from `from` to `to` inclusive, oldest first. */
export function weekEndingsBetween(from: string, to: string): string[] {
  const weeks: string[] = [];
  for (let week = from; week <= to; week = addWeeks(week, 1)) weeks.push(week);
  return weeks;
}
