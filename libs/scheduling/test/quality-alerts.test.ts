import { describe, expect, it } from 'vitest';
import { qualityTransitions, RECORDS_BELOW_AVERAGE, weekFindings } from '../src/quality-alerts.ts';
import type { WeekFigures } from '../src/week-figures.ts';

const figures = (over: Partial<WeekFigures>): WeekFigures => ({
  week_ending: '2025-11-28', capture_id: 'c1', records: 100, records_rolling_average: 100, quality_score: 1, problems: [], ...over,
});
const week = { tier: 'OTC', venue_type: 'ATS', week_ending: '2025-11-28' };

describe('a week\'s quality findings', () => {
  it('are its checks that did not pass, WARN as WARN and FAIL as CRITICAL', () => {
    const found = weekFindings(figures({ problems: [
      { check: 'tier_volume_swing', status: 'WARN', message: 'tier volume moved -58.2% week over week' },
      { check: 'market_share_sum', status: 'FAIL', message: 'market shares sum to 97' },
    ] }));
    expect(found).toEqual([
      { check: 'tier_volume_swing', severity: 'WARN', message: 'tier volume moved -58.2% week over week' },
      { check: 'market_share_sum', severity: 'CRITICAL', message: 'market shares sum to 97' },
    ]);
  });

  it('include records below half their rolling average, and not at half or without an average', () => {
    expect(weekFindings(figures({ records: 49, records_rolling_average: 100 }))).toEqual([
      { check: RECORDS_BELOW_AVERAGE, severity: 'WARN', message: '49 records, 49.0% of the 6-week average 100.0' },
    ]);
    expect(weekFindings(figures({ records: 50, records_rolling_average: 100 }))).toEqual([]);
    expect(weekFindings(figures({ records: 1, records_rolling_average: null }))).toEqual([]);
  });
});

describe('quality alert transitions', () => {
  const swing = { check: 'tier_volume_swing', severity: 'WARN' as const, message: 'moved' };
  const few = { check: RECORDS_BELOW_AVERAGE, severity: 'WARN' as const, message: 'few' };

  it('open what is found and not open, resolve what is open and no longer found, and change nothing while the state holds', () => {
    expect(qualityTransitions(week, [swing], [])).toEqual([{ ...week, ...swing, change: 'opened' }]);
    expect(qualityTransitions(week, [swing], [swing])).toEqual([]);
    expect(qualityTransitions(week, [few], [swing])).toEqual([{ ...week, ...swing, change: 'resolved' }, { ...week, ...few, change: 'opened' }]);
  });

  it('treat a check whose severity changed as a new alert, resolving the old one', () => {
    const failed = { ...swing, severity: 'CRITICAL' as const };
    expect(qualityTransitions(week, [failed], [swing]).map((t) => `${t.change} ${t.severity}`)).toEqual(['resolved WARN', 'opened CRITICAL']);
  });
});
