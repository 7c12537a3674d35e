import { addDays, isFriday, weekEndingProblem, weekStartDate as mondayOf } from '@spine/platform';

export { addDays };

export function isWeekEnding(value: string): boolean {
  return isFriday(value);
}

/** Throws unless `weekEnding` is a YYYY-MM-DD Friday, so a bad week never reaches a path, key or query. */
export function assertWeekEnding(weekEnding: string): void {
  const problem = weekEndingProblem(weekEnding);
  if (problem) throw new RangeError(problem);
}

/** FINRA's weekStartDate: the Monday of the trading week that ends on `weekEnding`. */
export function weekStartDate(weekEnding: string): string {
  assertWeekEnding(weekEnding);
  return mondayOf(weekEnding);
}

/** Inverse of weekStartDate; throws unless the result is a Friday. */
export function weekEndingFromStart(weekStart: string): string {
  const weekEnding = addDays(weekStart, 4);
  assertWeekEnding(weekEnding);
  return weekEnding;
}
