import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import type { Pool } from '@spine/platform';
import { loadSchedules, viewSchedule } from '@spine/scheduling';
import { registerQueueDepthGauge } from '@spine/orchestration';

/** Prometheus view of the cluster (no job data): queue counts by state, recent job durations, freshness lag. */
export function dashboardMetrics(queues: Queue[], pool: Pool): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerQueueDepthGauge(registry, queues);
  new Gauge({
    name: 'spine_job_duration_seconds_recent', help: 'Mean and max run time of the last 100 completed jobs', labelNames: ['queue', 'stat'] as const, registers: [registry],
    async collect() {
      for (const queue of queues) {
        const jobs = await queue.getJobs(['completed'], 0, 99);
        const durations = jobs.filter((j) => j.finishedOn && j.processedOn).map((j) => (j.finishedOn! - j.processedOn!) / 1000);
        this.set({ queue: queue.name, stat: 'mean' }, durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0);
        this.set({ queue: queue.name, stat: 'max' }, durations.length ? Math.max(...durations) : 0);
      }
    },
  });
  const lag = new Gauge({ name: 'spine_ingestion_lag_seconds', help: 'Seconds since the oldest missing week was due', labelNames: ['tier'] as const, registers: [registry] });
  const missing = new Gauge({
    name: 'spine_missing_weeks', help: 'Due weeks that are not complete', labelNames: ['tier'] as const, registers: [registry],
    async collect() {
      const now = new Date();
      for (const schedule of await loadSchedules(pool)) {
        const view = await viewSchedule(pool, schedule, now);
        this.set({ tier: schedule.tier }, view.lag.missing_weeks.length);
        lag.set({ tier: schedule.tier }, view.lag.lag_hours * 3600);
      }
    },
  });
  void missing;
  return registry;
}
