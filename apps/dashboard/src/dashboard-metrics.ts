import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import { partitionLabelNames, partitionLabels, type DatasetRegistry, type Pool } from '@spine/platform';
import { lagReport } from '@spine/scheduling';
import { registerQueueDepthGauge } from '@spine/orchestration';

/** Memoises an async read for `ttlMs`, so anonymous scrapes cannot turn into a load on Redis and PostgreSQL. */
function cached<T>(ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let value: { at: number; data: Promise<T> } | undefined;
  return () => {
    if (!value || Date.now() - value.at > ttlMs) {
      value = { at: Date.now(), data: read() };
      value.data.catch(() => (value = undefined));
    }
    return value.data;
  };
}

const SCRAPE_CACHE_MS = 15_000;

/** Prometheus view of the cluster (no job data): queue counts by state, recent job durations, freshness lag. */
export function dashboardMetrics(queues: Queue[], pool: Pool, datasets: DatasetRegistry): Registry {
  const recentJobs = cached(SCRAPE_CACHE_MS, async () => Promise.all(queues.map(async (q) => [q, await q.getJobs(['completed'], 0, 99)] as const)));
  const lagViews = cached(SCRAPE_CACHE_MS, () => lagReport(pool, new Date()));
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerQueueDepthGauge(registry, queues);
  new Gauge({
    name: 'spine_job_duration_seconds_recent', help: 'Mean and max run time of the last 100 completed jobs', labelNames: ['queue', 'stat'] as const, registers: [registry],
    async collect() {
      for (const [queue, jobs] of await recentJobs()) {
        const durations = jobs.filter((j) => j.finishedOn && j.processedOn).map((j) => (j.finishedOn! - j.processedOn!) / 1000);
        this.set({ queue: queue.name, stat: 'mean' }, durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0);
        this.set({ queue: queue.name, stat: 'max' }, durations.length ? Math.max(...durations) : 0);
      }
    },
  });
  const labelNames = partitionLabelNames(datasets.list());
  const lag = new Gauge({ name: 'spine_ingestion_lag_seconds', help: 'Seconds since the oldest missing period (week, trading day) was due', labelNames, registers: [registry] });
  const missing = new Gauge({
    name: 'spine_missing_weeks', help: 'Due periods (weeks, trading days) that are not complete', labelNames, registers: [registry],
    async collect() {
      for (const view of await lagViews()) {
        const labels = partitionLabels(datasets.get(view.dataset), { key1: view.tier, key2: view.venue_type });
        this.set(labels, view.missing_weeks.length);
        lag.set(labels, view.lag_hours * 3600);
      }
    },
  });
  void missing;
  return registry;
}
