import { describe, expect, it } from 'vitest';
import { DatasetRegistry, NO_SECOND_KEY, TradingCalendar, tradingDayPeriods, type DatasetDefinition } from '@spine/platform';
import { sourceCatalog } from '@spine/finra-source';
import { backfillRequestSchema, describeIssues } from '../src/backfill-request.ts';
import { expandWeeks } from '../src/batch-enqueue.ts';
import { parseWeekJob } from '../src/job-data.ts';
import { weeklyTestDataset } from './support/weekly-test-dataset.ts';

/** The made-up weekly dataset, published per trading day instead (what a daily dataset's definition says). */
const dailyDataset: DatasetDefinition = {
  ...weeklyTestDataset, name: 'daily_test', period: { kind: 'trading_day', calendar: 'XNYS', field: 'trade_date', label: 'Trade date' },
};
const periods = tradingDayPeriods(new TradingCalendar('XNYS', '2025-01-01', '2025-12-31', [
  { day: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter', unscheduled: true },
]));
const sources = sourceCatalog({ allow: { dirs: [], buckets: [] } });
const limits = { maxPartitions: 40, today: '2025-06-30', periods };

describe('a backfill of a dataset published per trading day', () => {
  it('takes trading days and enqueues each one, none on a closure or a weekend', () => {
    const request = backfillRequestSchema(dailyDataset, sources, limits).parse({ tier: 'OTC', venue_type: 'ATS', from: '2025-01-06', to: '2025-01-13' });
    expect(expandWeeks(request.tier, request.from, request.to, request.venue_type, periods).map((w) => w.week_ending))
      .toEqual(['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10', '2025-01-13']);
  });

  it('refuses a closed day and counts partitions in trading days, with the dataset\'s words', () => {
    const closed = backfillRequestSchema(dailyDataset, sources, limits).safeParse({ tier: 'OTC', from: '2025-01-09', to: '2025-01-10' });
    expect(describeIssues(closed.error!)).toBe('from: 2025-01-09 is not a trading day: XNYS is closed (National Day of Mourning for President Jimmy Carter)');
    const big = backfillRequestSchema(dailyDataset, sources, limits).safeParse({ tier: 'all', from: '2025-01-02', to: '2025-01-31' });
    expect(describeIssues(big.error!)).toBe('to: the request covers 84 partitions (trading day x tier x venue type), more than the 40 one request ' +
      'may enqueue (BACKFILL_MAX_PARTITIONS): split it by dates, tier or venue type');
    const future = backfillRequestSchema(dailyDataset, sources, limits).safeParse({ tier: 'OTC', from: '2025-06-30', to: '2025-07-01' });
    expect(describeIssues(future.error!)).toBe('to: --to 2025-07-01 is after today (2025-06-30); the trading day has not ended');
  });

  it('needs its periods loaded: trading days cannot be known without the calendar', () => {
    expect(() => backfillRequestSchema(dailyDataset, sources, { maxPartitions: 40 })).toThrow(/periods are trading days: load them/);
  });

  it('takes a one-key dataset: its requests and jobs name one key, the second slot is implicit and never asked for', () => {
    const oneKey: DatasetDefinition = { ...dailyDataset, name: 'one_key', keys: [weeklyTestDataset.keys[0]] };
    const request = backfillRequestSchema(oneKey, sources, limits).parse({ tier: 'OTC', from: '2025-01-08', to: '2025-01-10' });
    expect(request.venue_type).toEqual([NO_SECOND_KEY]);
    expect(expandWeeks(request.tier, request.from, request.to, request.venue_type, periods).map((w) => `${w.tier} ${w.venue_type} ${w.week_ending}`))
      .toEqual([`OTC ${NO_SECOND_KEY} 2025-01-08`, `OTC ${NO_SECOND_KEY} 2025-01-10`]);
    const big = backfillRequestSchema(oneKey, sources, limits).safeParse({ tier: 'all', from: '2025-01-02', to: '2025-03-31' });
    expect(describeIssues(big.error!)).toMatch(/\(trading day x tier\), more than .* split it by dates or tier$/);
    const registry = new DatasetRegistry([weeklyTestDataset, oneKey]);
    const stage = oneKey.stages[1]!.name;
    const id = '00000000-0000-4000-8000-000000000000';
    const job = {
      dataset: 'one_key', tier: 'OTC', week_ending: '2025-01-08', stage, last_stage: stage, source: 'finra', force: false, max_reject_share: 0.05,
      batch_id: id, correlation_id: id, week_execution_id: id,
    };
    expect(parseWeekJob(registry, job, 'j1').data.venue_type).toBe(NO_SECOND_KEY);
    expect(() => parseWeekJob(registry, { ...job, venue_type: 'ATS' }, 'j2')).toThrow(/venue_type "ATS" is not one of -/);
  });
});
