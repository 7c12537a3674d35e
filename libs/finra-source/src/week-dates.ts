import { addDays, assertWeekEnding, isFriday, weekEndingFromStart, weekStartDate as mondayOf } from '@spine/platform';

export { addDays, assertWeekEnding, weekEndingFromStart };

export function isWeekEnding(value: string): boolean {
  return isFriday(value);
}

/** FINRA's weekStartDate: the Monday of the trading week that ends on `weekEnding`. */
export function weekStartDate(weekEnding: string): string {
  assertWeekEnding(weekEnding);
  return mondayOf(weekEnding);
}
