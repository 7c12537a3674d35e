import { describe, expect, it } from 'vitest';
import { TradingCalendar, tradingDayPeriods, WEEK_PERIODS } from '@spine/platform';
import { duePeriods, expectedAt, latestDuePeriod, publicationDate } from '../src/publication-calendar.ts';
import { alertTransitions } from '../src/lag-alerts.ts';

const tier1 = { publication_lag_weeks: 2, expected_day_of_week: 1, expected_time: '09:00', timezone: 'America/New_York', lookback_weeks: 3 };
const tier2 = { ...tier1, publication_lag_weeks: 4 };

describe('publication calendar (DOMAIN.md)', () => {
  it('publishes Tier 1 on Monday F + 17 days and Tier 2 / OTC on Monday F + 31 days', () => {
    expect(publicationDate(tier1, WEEK_PERIODS, '2025-12-12')).toBe('2025-12-29');
    expect(publicationDate(tier2, WEEK_PERIODS, '2025-11-28')).toBe('2025-12-29');
  });

  it('expects the data at 09:00 New York time, across daylight saving', () => {
    expect(expectedAt(tier1, WEEK_PERIODS, '2025-12-12').toISOString()).toBe('2025-12-29T14:00:00.000Z');
    expect(expectedAt(tier1, WEEK_PERIODS, '2025-06-13').toISOString()).toBe('2025-06-30T13:00:00.000Z');
  });

  it('knows which weeks are due at a moment, newest first, bounded by lookback', () => {
    expect(latestDuePeriod(tier1, WEEK_PERIODS, new Date('2025-12-29T13:59:59Z'))).toBe('2025-12-05');
    expect(latestDuePeriod(tier1, WEEK_PERIODS, new Date('2025-12-29T14:00:00Z'))).toBe('2025-12-12');
    expect(duePeriods(tier1, WEEK_PERIODS, new Date('2025-12-30T00:00:00Z'))).toEqual(['2025-12-12', '2025-12-05', '2025-11-28']);
  });
});

describe('publication calendar of trading days (Reg SHO: each trading day by 6 pm New York time)', () => {
  const daily = { publication_lag_weeks: 0, expected_day_of_week: null, expected_time: '18:00', timezone: 'America/New_York', lookback_weeks: 5 };
  const days = tradingDayPeriods(new TradingCalendar('XNYS', '2025-01-01', '2025-12-31', [
    { day: '2025-01-01', reason: "New Year's Day", unscheduled: false },
    { day: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter', unscheduled: true },
  ]));

  it('expects a trading day on its own date at 18:00 New York time', () => {
    expect(publicationDate(daily, days, '2025-01-10')).toBe('2025-01-10');
    expect(expectedAt(daily, days, '2025-01-10').toISOString()).toBe('2025-01-10T23:00:00.000Z');
    expect(publicationDate({ ...daily, publication_lag_weeks: 1 }, days, '2025-01-08')).toBe('2025-01-10');
  });

  it('never expects a weekend or a closure: the due days skip them', () => {
    // Monday 2025-01-13 at noon: Monday's data is not due yet; the newest due day is Friday the 10th.
    expect(latestDuePeriod(daily, days, new Date('2025-01-13T17:00:00Z'))).toBe('2025-01-10');
    expect(duePeriods(daily, days, new Date('2025-01-13T17:00:00Z'))).toEqual(['2025-01-10', '2025-01-08', '2025-01-07', '2025-01-06', '2025-01-03']);
    expect(latestDuePeriod(daily, days, new Date('2025-01-13T23:00:00Z'))).toBe('2025-01-13');
  });
});

describe('lag alert transitions', () => {
  const schedule = { tolerance_hours: 24, critical_after_hours: 168 };
  const week = { key1: 'OTC', key2: 'ATS', periodEnd: '2025-11-28', expected_at: new Date('2025-12-29T14:00:00Z'), complete: false, open: [] as ('WARN' | 'CRITICAL')[] };
  const at = (hours: number) => new Date(week.expected_at.getTime() + hours * 3_600_000);

  it('opens WARN past tolerance, escalates past 7 days, and does nothing while the state holds', () => {
    expect(alertTransitions(schedule, week, at(23))).toEqual([]);
    expect(alertTransitions(schedule, week, at(25)).map((t) => `${t.change} ${t.severity}`)).toEqual(['opened WARN']);
    expect(alertTransitions(schedule, { ...week, open: ['WARN'] }, at(100))).toEqual([]);
    expect(alertTransitions(schedule, { ...week, open: ['WARN'] }, at(169)).map((t) => `${t.change} ${t.severity}`)).toEqual(['escalated CRITICAL']);
    expect(alertTransitions(schedule, week, at(200)).map((t) => `${t.change} ${t.severity}`)).toEqual(['opened WARN', 'escalated CRITICAL']);
  });

  it('resolves once when the week completes', () => {
    expect(alertTransitions(schedule, { ...week, complete: true, open: ['CRITICAL', 'WARN'] }, at(300)).map((t) => `${t.change} ${t.severity}`)).toEqual(['resolved CRITICAL']);
    expect(alertTransitions(schedule, { ...week, complete: true }, at(300))).toEqual([]);
  });
});
