import { describe, expect, it } from 'vitest';
import { CalendarCoverageError, TradingCalendar } from '../src/time/trading-calendar.ts';

const calendar = new TradingCalendar('XNYS', '2025-01-01', '2025-12-31', [
  { day: '2025-01-01', reason: "New Year's Day", unscheduled: false },
  { day: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter', unscheduled: true },
  { day: '2025-01-20', reason: 'Martin Luther King, Jr. Day', unscheduled: false },
]);

describe('TradingCalendar', () => {
  it('opens Monday to Friday except on closures', () => {
    expect(calendar.isTradingDay('2025-01-08')).toBe(true);
    expect(calendar.isTradingDay('2025-01-09')).toBe(false);
    expect(calendar.isTradingDay('2025-01-11')).toBe(false);
    expect(calendar.isTradingDay('2025-01-12')).toBe(false);
    expect(calendar.closureOn('2025-01-09')).toMatchObject({ unscheduled: true });
    expect(calendar.closureOn('2025-01-11')).toBeUndefined();
  });

  it('lists the trading days of a range across a holiday week, in order', () => {
    expect(calendar.tradingDays('2025-01-06', '2025-01-21')).toEqual([
      '2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10', '2025-01-13', '2025-01-14', '2025-01-15', '2025-01-16', '2025-01-17', '2025-01-21',
    ]);
    expect(calendar.tradingDays('2025-01-11', '2025-01-12')).toEqual([]);
  });

  it('finds the last trading day on or before a day', () => {
    expect(calendar.tradingDayOnOrBefore('2025-01-10')).toBe('2025-01-10');
    expect(calendar.tradingDayOnOrBefore('2025-01-20')).toBe('2025-01-17');
    expect(calendar.tradingDayOnOrBefore('2025-01-09')).toBe('2025-01-08');
  });

  it('refuses a day its data does not cover rather than guess', () => {
    expect(() => calendar.isTradingDay('2026-01-02')).toThrow(CalendarCoverageError);
    expect(() => calendar.tradingDays('2024-12-30', '2025-01-03')).toThrow(/covers 2025-01-01 to 2025-12-31, not 2024-12-30/);
    expect(() => calendar.tradingDayOnOrBefore('2025-01-01')).toThrow(CalendarCoverageError);
    expect(() => calendar.isTradingDay('2025-02-30')).toThrow(/not a date/);
  });
});
