import { describe, expect, it } from 'vitest';
import type { Schedule } from '@spine/scheduling';
import { WEEK_PERIODS } from '@spine/platform';
import { cellState } from '../src/coverage.ts';

const schedule: Schedule = {
  schedule_id: 1, domain: 'otc', stage: 'snapshot', tier: 'NMS_TIER_1', venue_type: 'ATS', expected_day_of_week: 1, period_kind: 'week', trading_calendar: null, expected_time: '09:00',
  tolerance_hours: 24, critical_after_hours: 168, publication_lag_weeks: 2, timezone: 'America/New_York', enabled: true, lookback_weeks: 12,
  revision_lookback_weeks: 2, source: 'finra',
};
const NOW = new Date('2025-12-30T12:00:00Z');
const loaded = (over: Partial<Parameters<typeof cellState>[4] & object>) => ({ capture_id: 'c', revision: 1, stages: {}, batch_id: 'b', week_status: null, ...over });

describe('a coverage cell\'s state', () => {
  it('follows the newest run first: running, then complete or revised, gated, failed', () => {
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-05', NOW, loaded({ week_status: 'running', stages: { snapshot: 'completed' } }), true)).toBe('running');
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-05', NOW, loaded({ stages: { snapshot: 'completed' } }), true)).toBe('complete');
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-05', NOW, loaded({ revision: 3, stages: { snapshot: 'completed' } }), true)).toBe('revised');
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-05', NOW, loaded({ week_status: 'gated', stages: { ingest: 'gated' } }), true)).toBe('gated');
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-05', NOW, loaded({ capture_id: null, revision: null, week_status: 'failed' }), false)).toBe('failed');
  });

  it('reads an untouched partition from the calendar and the source: not due, not published, missing', () => {
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-19', NOW, undefined, null)).toBe('not_due');
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-12', NOW, undefined, false)).toBe('not_published');
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-12', NOW, undefined, true)).toBe('missing');
    expect(cellState(schedule, WEEK_PERIODS, '2025-12-12', NOW, undefined, null)).toBe('missing');
  });
});
