import type { Queryable } from '../db/pool.ts';
import { parseIsoDate, toIsoDate } from './week-ending.ts';

const DAY_MS = 86_400_000;

/** A day the market is closed on besides weekends. */
export interface MarketClosure {
  day: string;
  reason: string;
  /** Announced at short notice (a national day of mourning), not one of the exchange's yearly holidays. */
  unscheduled: boolean;
}

/** A day the calendar's rows do not cover: whether the market opens then is not known, so nothing may be assumed. */
export class CalendarCoverageError extends Error {
  override readonly name = 'CalendarCoverageError';
  constructor(readonly calendar: string, readonly day: string, readonly coversFrom: string, readonly coversTo: string) {
    super(`trading calendar ${calendar} covers ${coversFrom} to ${coversTo}, not ${day}: add the closures of that year with a migration`);
  }
}

/** No calendar of that name in core_market_calendars. */
export class UnknownCalendarError extends Error {
  override readonly name = 'UnknownCalendarError';
  constructor(readonly calendar: string) {
    super(`no trading calendar ${calendar} in core_market_calendars`);
  }
}

/**
 * One market's trading days over the span its data covers (core_market_calendars / core_market_closures): Monday to
 * Friday except its closures. Days are ISO dates (YYYY-MM-DD) in calendar arithmetic, as week_ending is.
 */
export class TradingCalendar {
  private readonly closures: ReadonlyMap<string, MarketClosure>;

  constructor(readonly calendar: string, readonly coversFrom: string, readonly coversTo: string, closures: readonly MarketClosure[]) {
    this.closures = new Map(closures.map((c) => [c.day, c]));
  }

  /** The closure on `day`, if the market is closed for one (weekends are not closures). */
  closureOn(day: string): MarketClosure | undefined {
    this.check(day);
    return this.closures.get(day);
  }

  isTradingDay(day: string): boolean {
    const date = this.check(day);
    const weekday = date.getUTCDay();
    return weekday !== 0 && weekday !== 6 && !this.closures.has(day);
  }

  /** The trading days from `from` to `to`, both included, in order. */
  tradingDays(from: string, to: string): string[] {
    const first = this.check(from).getTime();
    const last = this.check(to).getTime();
    const days: string[] = [];
    for (let t = first; t <= last; t += DAY_MS) {
      const day = toIsoDate(new Date(t));
      if (this.isTradingDay(day)) days.push(day);
    }
    return days;
  }

  /** The last trading day on or before `day`. */
  tradingDayOnOrBefore(day: string): string {
    let t = this.check(day).getTime();
    for (;;) {
      const candidate = toIsoDate(new Date(t));
      if (this.isTradingDay(candidate)) return candidate;
      t -= DAY_MS;
    }
  }

  /** The first trading day after `day`. */
  nextTradingDay(day: string): string {
    let t = this.check(day).getTime();
    for (;;) {
      t += DAY_MS;
      const candidate = toIsoDate(new Date(t));
      if (this.isTradingDay(candidate)) return candidate;
    }
  }

  private check(day: string): Date {
    const date = parseIsoDate(day);
    if (!date) throw new TypeError(`"${day}" is not a date in YYYY-MM-DD form`);
    if (day < this.coversFrom || day > this.coversTo) throw new CalendarCoverageError(this.calendar, day, this.coversFrom, this.coversTo);
    return date;
  }
}

/**
 * Reads one calendar. Query: $1 calendar -> its span (one row) and its closures (one row each). A calendar is at most
 * a dozen closures a year, so it is read whole and asked in memory.
 */
export async function loadTradingCalendar(db: Queryable, calendar: string): Promise<TradingCalendar> {
  const { rows: spans } = await db.query<{ covers_from: string; covers_to: string }>(
    `SELECT to_char(covers_from, 'YYYY-MM-DD') AS covers_from, to_char(covers_to, 'YYYY-MM-DD') AS covers_to
       FROM core_market_calendars WHERE calendar = $1`,
    [calendar],
  );
  const span = spans[0];
  if (!span) throw new UnknownCalendarError(calendar);
  const { rows } = await db.query<MarketClosure>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, reason, unscheduled FROM core_market_closures WHERE calendar = $1 ORDER BY day`,
    [calendar],
  );
  return new TradingCalendar(calendar, span.covers_from, span.covers_to, rows);
}
