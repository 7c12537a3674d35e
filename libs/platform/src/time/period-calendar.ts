import type { Queryable } from '../db/pool.ts';
import { loadTradingCalendar, type TradingCalendar } from './trading-calendar.ts';
import { addDays, addWeeks, parseIsoDate, weekEndingOnOrBefore, weekEndingProblem, weekEndingsBetween } from './week-ending.ts';

/** How a dataset's partitions divide time: trading weeks named by their Friday, or an exchange's trading days. */
export type PeriodKind = 'week' | 'trading_day';

/**
 * The periods of one kind, each named by one date (YYYY-MM-DD): what backfill ranges, schedules, lag, coverage and
 * windows step through, so that none of them assumes a week.
 */
export interface PeriodCalendar {
  readonly kind: PeriodKind;
  /** Why a date names no period (a Tuesday for weeks, a holiday for trading days), or undefined when it names one. */
  problem(value: string): string | undefined;
  /** Every period from `from` to `to`, both included, oldest first (both must be periods). */
  between(from: string, to: string): string[];
  /** The period `n` periods after `period`; before it when `n` is negative. */
  shift(period: string, n: number): string;
  /** The newest period whose date is on or before `day` (any date). */
  onOrBefore(day: string): string;
}

/** Trading weeks, named by their Friday (`week_ending`). */
export const WEEK_PERIODS: PeriodCalendar = {
  kind: 'week',
  problem: weekEndingProblem,
  between: weekEndingsBetween,
  shift: addWeeks,
  onOrBefore: weekEndingOnOrBefore,
};

/** An exchange's trading days; a day its calendar's rows do not cover throws CalendarCoverageError. */
export function tradingDayPeriods(calendar: TradingCalendar): PeriodCalendar {
  return {
    kind: 'trading_day',
    problem(value) {
      if (!parseIsoDate(value)) return `"${value}" is not a date in YYYY-MM-DD form`;
      if (value < calendar.coversFrom || value > calendar.coversTo) {
        return `${value} is outside the trading calendar ${calendar.calendar} (${calendar.coversFrom} to ${calendar.coversTo})`;
      }
      const closure = calendar.closureOn(value);
      if (closure) return `${value} is not a trading day: ${calendar.calendar} is closed (${closure.reason})`;
      return calendar.isTradingDay(value) ? undefined : `${value} is a weekend day, not a trading day`;
    },
    between: (from, to) => calendar.tradingDays(from, to),
    shift(period, n) {
      let day = period;
      for (let i = 0; i < Math.abs(n); i++) {
        day = n > 0 ? calendar.nextTradingDay(day) : calendar.tradingDayOnOrBefore(addDays(day, -1));
      }
      return day;
    },
    onOrBefore: (day) => calendar.tradingDayOnOrBefore(day),
  };
}

/** What a dataset says of its period (DatasetDefinition.period). */
export interface PeriodSpec {
  readonly kind: PeriodKind;
  /** The exchange calendar of a trading-day period (core_market_calendars.calendar, e.g. XNYS). */
  readonly calendar?: string;
}

/** The periods of a dataset: weeks at once; trading days read from the calendar's rows (a few hundred). */
export async function loadPeriodCalendar(db: Queryable, period: PeriodSpec): Promise<PeriodCalendar> {
  if (period.kind === 'week') return WEEK_PERIODS;
  if (!period.calendar) throw new Error('a trading-day period names its exchange calendar (period.calendar)');
  return tradingDayPeriods(await loadTradingCalendar(db, period.calendar));
}
