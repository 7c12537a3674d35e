import type { Queryable } from '../db/pool.ts';
import { loadTradingCalendar, type TradingCalendar } from './trading-calendar.ts';
import { addMonthEnds, monthEndOnOrBefore, monthEndProblem, monthEndsBetween } from './month-end.ts';
import { addDays, addWeeks, parseIsoDate, weekEndingOnOrBefore, weekEndingProblem, weekEndingsBetween } from './week-ending.ts';

/**
 * How a dataset's partitions divide time: trading weeks named by their Friday, an exchange's trading days, or
 * calendar months named by their last day.
 */
export type PeriodKind = 'week' | 'trading_day' | 'month';

/** What people call a kind's periods, for pages, forms and messages. */
export interface PeriodWords {
  /** One period: "week", "trading day", "month". */
  readonly one: string;
  readonly many: string;
  /** What a date naming one is, for a form's hint: "a Friday". */
  readonly hint: string;
  /** Dates naming the first and last of a range, for a form's placeholders: a range reads as one. */
  readonly example: string;
  readonly exampleEnd: string;
}

const PERIOD_WORDS: Record<PeriodKind, PeriodWords> = {
  week: { one: 'week', many: 'weeks', hint: 'a Friday', example: '2025-11-07', exampleEnd: '2025-12-12' },
  trading_day: { one: 'trading day', many: 'trading days', hint: 'a trading day', example: '2025-11-03', exampleEnd: '2025-11-28' },
  month: { one: 'month', many: 'months', hint: "a month's last day", example: '2025-10-31', exampleEnd: '2026-03-31' },
};

export function periodWords(kind: PeriodKind): PeriodWords {
  return PERIOD_WORDS[kind];
}

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

/** Calendar months, named by their last day. */
export const MONTH_PERIODS: PeriodCalendar = {
  kind: 'month',
  problem: monthEndProblem,
  between: monthEndsBetween,
  shift: addMonthEnds,
  onOrBefore: monthEndOnOrBefore,
};

/** The periods of a kind that need no database rows (weeks, months); undefined for trading days, which need a calendar's. */
export function fixedPeriods(kind: PeriodKind): PeriodCalendar | undefined {
  return kind === 'week' ? WEEK_PERIODS : kind === 'month' ? MONTH_PERIODS : undefined;
}

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

/** The periods of a dataset: weeks and months at once; trading days read from the calendar's rows (a few hundred). */
export async function loadPeriodCalendar(db: Queryable, period: PeriodSpec): Promise<PeriodCalendar> {
  const fixed = fixedPeriods(period.kind);
  if (fixed) return fixed;
  if (!period.calendar) throw new Error('a trading-day period names its exchange calendar (period.calendar)');
  return tradingDayPeriods(await loadTradingCalendar(db, period.calendar));
}
