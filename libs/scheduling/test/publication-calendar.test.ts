import { describe, expect, it } from 'vitest';
import { dueWeeks, expectedAt, latestDueWeek, publicationDate } from '../src/publication-calendar.ts';
import { alertTransitions } from '../src/lag-alerts.ts';

const tier1 = { publication_lag_weeks: 2, expected_day_of_week: 1, expected_time: '09:00', timezone: 'America/New_York', lookback_weeks: 3 };
const tier2 = { ...tier1, publication_lag_weeks: 4 };

describe('publication calendar (DOMAIN.md)', () => {
  it('publishes Tier 1 on Monday F + 17 days and Tier 2 / OTC on Monday F + 31 days', () => {
    expect(publicationDate(tier1, '2025-12-12')).toBe('2025-12-29');
    expect(publicationDate(tier2, '2025-11-28')).toBe('2025-12-29');
  });

  it('expects the data at 09:00 New York time, across daylight saving', () => {
    expect(expectedAt(tier1, '2025-12-12').toISOString()).toBe('2025-12-29T14:00:00.000Z');
    expect(expectedAt(tier1, '2025-06-13').toISOString()).toBe('2025-06-30T13:00:00.000Z');
  });

  it('knows which weeks are due at a moment, newest first, bounded by lookback', () => {
    expect(latestDueWeek(tier1, new Date('2025-12-29T13:59:59Z'))).toBe('2025-12-05');
    expect(latestDueWeek(tier1, new Date('2025-12-29T14:00:00Z'))).toBe('2025-12-12');
    expect(dueWeeks(tier1, new Date('2025-12-30T00:00:00Z'))).toEqual(['2025-12-12', '2025-12-05', '2025-11-28']);
  });
});

describe('lag alert transitions', () => {
  const schedule = { tolerance_hours: 24, critical_after_hours: 168 };
  const week = { tier: 'OTC', venue_type: 'ATS', week_ending: '2025-11-28', expected_at: new Date('2025-12-29T14:00:00Z'), complete: false, open: [] as ('WARN' | 'CRITICAL')[] };
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
