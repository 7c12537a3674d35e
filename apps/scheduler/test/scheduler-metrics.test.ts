import { describe, expect, it } from 'vitest';
import type { TickResult } from '@spine/scheduling';
import { datasets } from '@spine/datasets';
import { createSchedulerMetrics } from '../src/scheduler-metrics.ts';
import { sampleValue } from '../../../tests/support/prometheus.ts';

const NOW = '2026-01-05T15:00:00.000Z';
const tick = (over: Partial<TickResult> = {}): TickResult => ({
  now: NOW, dry_run: false, fencing_token: 1, batch_ids: [], enqueued: [], in_flight: [], alerts: [], quality_alerts: [], reconciled: [],
  lag: [{ dataset: 'otc', tier: 'OTC', venue_type: 'ATS', schedule_id: 1, expected_week: '2025-12-05', expected_at: NOW, latest_complete_week: '2025-11-28', missing_weeks: ['2025-12-05'], unpublished_weeks: null, lag_hours: 30, open_alerts: [] }],
  data_health: [{ dataset: 'otc', tier: 'OTC', venue_type: 'ATS', latest_week: '2025-11-28', records: 5, records_rolling_average: 6, quality_score: 0.9, symbols_missing: 1 }],
  running_batches: [{ kind: 'backfill', started_at: '2026-01-05T12:00:00.000Z' }],
  ...over,
});
const partition = { dataset: 'otc', partition: 'OTC ATS', tier: 'OTC', venue_type: 'ATS' };

describe('scheduler gauges', () => {
  it('export what the tick read: lag, missing weeks, the latest week as a Unix time, its records, quality and missing symbols, the oldest running batch', async () => {
    const metrics = createSchedulerMetrics(datasets);
    metrics.leading(true);
    metrics.observe(tick());
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'spine_ingestion_lag_seconds', partition)).toBe(30 * 3600);
    expect(sampleValue(text, 'spine_missing_weeks', partition)).toBe(1);
    expect(sampleValue(text, 'spine_latest_week_timestamp_seconds', partition)).toBe(Date.UTC(2025, 10, 28) / 1000);
    expect(sampleValue(text, 'spine_week_records', partition)).toBe(5);
    expect(sampleValue(text, 'spine_week_records_rolling_average', partition)).toBe(6);
    expect(sampleValue(text, 'spine_quality_score', partition)).toBe(0.9);
    expect(sampleValue(text, 'spine_symbols_missing', partition)).toBe(1);
    expect(sampleValue(text, 'spine_oldest_running_batch_seconds', { kind: 'backfill' })).toBe(3 * 3600);
  });

  it('label each dataset\'s series with its own keys, so a trading day of one facility is not read as an OTC tier', async () => {
    const metrics = createSchedulerMetrics(datasets);
    metrics.leading(true);
    const regsho = { dataset: 'regsho', tier: 'Q', venue_type: '-' };
    metrics.observe(tick({
      lag: [...tick().lag, { ...tick().lag[0]!, ...regsho, expected_week: '2025-12-05', missing_weeks: ['2025-12-04', '2025-12-05'], lag_hours: 2 }],
      data_health: [...tick().data_health, { ...tick().data_health[0]!, ...regsho, latest_week: '2025-12-03', records: 9000, quality_score: 1 }],
    }));
    const text = await metrics.registry.metrics();
    const facility = { dataset: 'regsho', partition: 'Q', market_code: 'Q' };
    expect(sampleValue(text, 'spine_missing_weeks', facility)).toBe(2);
    expect(sampleValue(text, 'spine_ingestion_lag_seconds', facility)).toBe(2 * 3600);
    expect(sampleValue(text, 'spine_latest_week_timestamp_seconds', facility)).toBe(Date.UTC(2025, 11, 3) / 1000);
    expect(sampleValue(text, 'spine_week_records', facility)).toBe(9000);
    expect(sampleValue(text, 'spine_missing_weeks', partition)).toBe(1);
  });

  it('leave out what is unknown, and drop series a later tick no longer reports', async () => {
    const metrics = createSchedulerMetrics(datasets);
    metrics.leading(true);
    metrics.observe(tick());
    metrics.observe(tick({ data_health: [{ ...tick().data_health[0]!, records_rolling_average: null, symbols_missing: null }], running_batches: [] }));
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'spine_week_records', partition)).toBe(5);
    expect(sampleValue(text, 'spine_week_records_rolling_average', partition)).toBeUndefined();
    expect(sampleValue(text, 'spine_symbols_missing', partition)).toBeUndefined();
    expect(sampleValue(text, 'spine_oldest_running_batch_seconds', { kind: 'backfill' })).toBeUndefined();
  });

  it('are dropped by a replica that is no longer the leader, so only the leader\'s figures are scraped', async () => {
    const metrics = createSchedulerMetrics(datasets);
    metrics.leading(true);
    metrics.observe(tick());
    metrics.leading(false);
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'spine_scheduler_leader')).toBe(0);
    for (const name of ['spine_ingestion_lag_seconds', 'spine_missing_weeks', 'spine_quality_score', 'spine_latest_week_timestamp_seconds']) {
      expect(sampleValue(text, name, partition), name).toBeUndefined();
    }
  });
});
