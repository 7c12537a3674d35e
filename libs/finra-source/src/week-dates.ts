const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Parses YYYY-MM-DD as a UTC calendar date; undefined for anything that is not a real date. */
function parseIsoDate(value: string): Date | undefined {
  if (!ISO_DATE.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  // Date rolls 2025-02-30 over to March; comparing back rejects such non-dates.
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? date : undefined;
}

export function addDays(isoDate: string, days: number): string {
  const date = parseIsoDate(isoDate);
  if (!date) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(isoDate)}`);
  return new Date(date.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

export function isWeekEnding(value: string): boolean {
  return parseIsoDate(value)?.getUTCDay() === 5;
}

/** Throws unless `weekEnding` is a YYYY-MM-DD Friday, so a bad week never reaches a path, key or query. */
export function assertWeekEnding(weekEnding: string): void {
  const date = parseIsoDate(weekEnding);
  if (!date) throw new RangeError(`Week ending must be a YYYY-MM-DD date, got ${JSON.stringify(weekEnding)}`);
  if (date.getUTCDay() !== 5) throw new RangeError(`Week ending ${weekEnding} is not a Friday`);
}

/** FINRA's weekStartDate: the Monday of the trading week that ends on `weekEnding`. */
export function weekStartDate(weekEnding: string): string {
  assertWeekEnding(weekEnding);
  return addDays(weekEnding, -4);
}

/** Inverse of weekStartDate; throws unless the result is a Friday. */
export function weekEndingFromStart(weekStart: string): string {
  const weekEnding = addDays(weekStart, 4);
  assertWeekEnding(weekEnding);
  return weekEnding;
}
