import { describe, expect, it } from 'vitest';
import { tradingDayPeriods, WEEK_PERIODS } from '../src/time/period-calendar.ts';
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
});
