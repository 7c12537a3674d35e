import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { parseIsoDate, partitionLabelNames, partitionLabels, type DatasetRegistry, type PartitionLabels } from '@spine/platform';
import type { TickResult } from '@spine/scheduling';

/**
 * Freshness and data-health gauges, refreshed by every tick the leader runs. Only the leader exports them: a replica
 * that is not (or no longer) leading drops them, so a deposed leader's figures cannot outlive the data they describe.
 */
export function createSchedulerMetrics(datasets: DatasetRegistry) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const partition = { labelNames: partitionLabelNames(datasets.list()), registers: [registry] };
  const labelsOf = (s: { dataset: string; tier: string; venue_type: string }) => partitionLabels(datasets.get(s.dataset), { key1: s.tier, key2: s.venue_type });
  const lag = new Gauge({ name: 'spine_ingestion_lag_seconds', help: 'Seconds since the oldest missing period (week, trading day) was due', ...partition });
  const missing = new Gauge({ name: 'spine_missing_weeks', help: 'Due periods (weeks, trading days) that are not complete', ...partition });
  const latestWeek = new Gauge({ name: 'spine_latest_week_timestamp_seconds', help: 'The latest period loaded (its date: week_ending, trade_date; 00:00 UTC) as a Unix time', ...partition });
  const records = new Gauge({ name: 'spine_week_records', help: 'Records (accepted source lines) of the latest period\'s current capture', ...partition });
  const recordsAverage = new Gauge({ name: 'spine_week_records_rolling_average', help: 'Mean records of the loaded periods among the 6 before the latest', ...partition });
  const quality = new Gauge({ name: 'spine_quality_score', help: 'Quality checks of the latest period\'s current capture, 0..1 (PASS 1, WARN 0.5, FAIL 0, averaged)', ...partition });
  const symbolsMissing = new Gauge({ name: 'spine_symbols_missing', help: 'Symbols of the period before the latest that the latest period lacks', ...partition });
  const oldestBatch = new Gauge({ name: 'spine_oldest_running_batch_seconds', help: 'How long the oldest batch still running has been running, by kind', labelNames: ['kind'] as const, registers: [registry] });
  const lastTick = new Gauge({ name: 'spine_scheduler_last_success_timestamp_seconds', help: 'When the last tick succeeded', registers: [registry] });
  const leader = new Gauge({ name: 'spine_scheduler_leader', help: '1 while this replica holds the lease', registers: [registry] });
  const tickGauges = [lag, missing, latestWeek, records, recordsAverage, quality, symbolsMissing, oldestBatch];
  const setIf = (g: Gauge, labels: PartitionLabels, value: number | null) => value !== null && g.set(labels, value);
  return {
    registry,
    /** Whether this replica leads; one that does not drops the tick's gauges. */
    leading(isLeader: boolean) {
      leader.set(isLeader ? 1 : 0);
      if (!isLeader) for (const g of tickGauges) g.reset();
    },
    observe(result: TickResult) {
      for (const g of tickGauges) g.reset();
      for (const t of result.lag) {
        const labels = labelsOf(t);
        lag.set(labels, t.lag_hours * 3600);
        missing.set(labels, t.missing_weeks.length);
      }
      for (const h of result.data_health) {
        const labels = labelsOf(h);
        setIf(latestWeek, labels, h.latest_week === null ? null : parseIsoDate(h.latest_week)!.getTime() / 1000);
        setIf(records, labels, h.records);
        setIf(recordsAverage, labels, h.records_rolling_average);
        setIf(quality, labels, h.quality_score);
        setIf(symbolsMissing, labels, h.symbols_missing);
      }
      const now = Date.parse(result.now);
      for (const b of result.running_batches) oldestBatch.set({ kind: b.kind }, Math.max(0, (now - Date.parse(b.started_at)) / 1000));
      lastTick.set(Date.now() / 1000);
    },
  };
}
