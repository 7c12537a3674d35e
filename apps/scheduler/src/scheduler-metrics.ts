import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { TickResult } from '@spine/scheduling';

/** Freshness gauges, refreshed by every tick the leader runs. */
export function createSchedulerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const lag = new Gauge({ name: 'spine_ingestion_lag_seconds', help: 'Seconds since the oldest missing week was due', labelNames: ['tier', 'venue_type'] as const, registers: [registry] });
  const missing = new Gauge({ name: 'spine_missing_weeks', help: 'Due weeks that are not complete', labelNames: ['tier', 'venue_type'] as const, registers: [registry] });
  const lastTick = new Gauge({ name: 'spine_scheduler_last_success_timestamp_seconds', help: 'When the last tick succeeded', registers: [registry] });
  const leader = new Gauge({ name: 'spine_scheduler_leader', help: '1 while this replica holds the lease', registers: [registry] });
  return {
    registry,
    leader,
    observe(result: TickResult) {
      for (const t of result.lag) {
        lag.set({ tier: t.tier, venue_type: t.venue_type }, t.lag_hours * 3600);
        missing.set({ tier: t.tier, venue_type: t.venue_type }, t.missing_weeks.length);
      }
      lastTick.set(Date.now() / 1000);
    },
  };
}
