import { describe, expect, it } from 'vitest';
import { fixedPeriods, MONTH_PERIODS, periodWords, tradingDayPeriods, WEEK_PERIODS } from '../src/time/period-calendar.ts';
import { TradingCalendar } from '../src/time/trading-calendar.ts';

const days = tradingDayPeriods(new TradingCalendar('XNYS', '2025-01-01', '2025-12-31', [
  { day: '2025-01-01', reason: "New Year's Day", unscheduled: false },
  { day: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter', unscheduled: true },
  { day: '2025-01-20', reason: 'Martin Luther King, Jr. Day', unscheduled: false },
]));

describe('period calendars', () => {
  it('weeks: Fridays, stepped by seven days', () => {
    expect(WEEK_PERIODS.problem('2025-01-10')).toBeUndefined();
    expect(WEEK_PERIODS.problem('2025-01-09')).toBe('2025-01-09 is a Thursday; week_ending must be a Friday');
    expect(WEEK_PERIODS.between('2025-01-03', '2025-01-17')).toEqual(['2025-01-03', '2025-01-10', '2025-01-17']);
    expect(WEEK_PERIODS.shift('2025-01-10', -2)).toBe('2024-12-27');
    expect(WEEK_PERIODS.onOrBefore('2025-01-12')).toBe('2025-01-10');
  });

  it('trading days: weekends and closures are no periods, and say why', () => {
    expect(days.problem('2025-01-08')).toBeUndefined();
    expect(days.problem('2025-01-09')).toBe('2025-01-09 is not a trading day: XNYS is closed (National Day of Mourning for President Jimmy Carter)');
    expect(days.problem('2025-01-11')).toBe('2025-01-11 is a weekend day, not a trading day');
    expect(days.problem('2026-01-02')).toBe('2026-01-02 is outside the trading calendar XNYS (2025-01-01 to 2025-12-31)');
    expect(days.problem('2025-1-8')).toBe('"2025-1-8" is not a date in YYYY-MM-DD form');
    expect(days.problem('2025-02-30')).toBe('"2025-02-30" is not a date in YYYY-MM-DD form');
  });

  it('trading days: ranges and steps skip weekends and closures', () => {
    expect(days.between('2025-01-08', '2025-01-13')).toEqual(['2025-01-08', '2025-01-10', '2025-01-13']);
    expect(days.shift('2025-01-08', 1)).toBe('2025-01-10');
    expect(days.shift('2025-01-21', -1)).toBe('2025-01-17');
    expect(days.shift('2025-01-21', -3)).toBe('2025-01-15');
    expect(days.shift('2025-01-10', 0)).toBe('2025-01-10');
    expect(days.onOrBefore('2025-01-20')).toBe('2025-01-17');
  });

  it('months: named by their last day, leap years and year ends included', () => {
    expect(MONTH_PERIODS.problem('2024-02-29')).toBeUndefined();
    expect(MONTH_PERIODS.problem('2025-02-28')).toBeUndefined();
    expect(MONTH_PERIODS.problem('2025-02-27')).toBe('2025-02-27 is not the last day of its month; a month is named by its last day (2025-02-28)');
    expect(MONTH_PERIODS.problem('2025-02-29')).toBe('"2025-02-29" is not a date in YYYY-MM-DD form');
    expect(MONTH_PERIODS.between('2024-11-30', '2025-03-31')).toEqual(['2024-11-30', '2024-12-31', '2025-01-31', '2025-02-28', '2025-03-31']);
    expect(MONTH_PERIODS.between('2025-03-31', '2025-02-28')).toEqual([]);
    expect(MONTH_PERIODS.shift('2025-03-31', -1)).toBe('2025-02-28');
    expect(MONTH_PERIODS.shift('2024-01-31', 1)).toBe('2024-02-29');
    expect(MONTH_PERIODS.shift('2025-12-31', 1)).toBe('2026-01-31');
    expect(MONTH_PERIODS.shift('2025-01-31', -13)).toBe('2023-12-31');
    expect(MONTH_PERIODS.shift('2025-04-30', 0)).toBe('2025-04-30');
    expect(MONTH_PERIODS.onOrBefore('2025-03-31')).toBe('2025-03-31');
    expect(MONTH_PERIODS.onOrBefore('2025-03-30')).toBe('2025-02-28');
    expect(MONTH_PERIODS.onOrBefore('2025-01-01')).toBe('2024-12-31');
  });

  it('weeks and months need no calendar rows; every kind has its words', () => {
    expect(fixedPeriods('week')).toBe(WEEK_PERIODS);
    expect(fixedPeriods('month')).toBe(MONTH_PERIODS);
    expect(fixedPeriods('trading_day')).toBeUndefined();
    expect(periodWords('month')).toMatchObject({ one: 'month', many: 'months' });
    expect(periodWords('trading_day').one).toBe('trading day');
  });

  it("each kind's placeholders are a range of its own periods, oldest first", () => {
    for (const [kind, periods] of [['week', WEEK_PERIODS], ['month', MONTH_PERIODS], ['trading_day', days]] as const) {
      const { example, exampleEnd } = periodWords(kind);
      expect([kind, periods.problem(example), periods.problem(exampleEnd)]).toEqual([kind, undefined, undefined]);
      expect(periods.between(example, exampleEnd).length, kind).toBeGreaterThan(1);
    }
  });
});
