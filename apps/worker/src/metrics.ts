import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerQueueDepthGauge } from '@spine/orchestration';
import type { Queue } from 'bullmq';

/** The worker's Prometheus metrics: jobs by queue and outcome, stage durations and rows, queue depth by state. */
export function createWorkerMetrics(queues: Queue[]) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const jobs = new Counter({ name: 'spine_jobs_total', help: 'Jobs finished by this worker', labelNames: ['queue', 'state'] as const, registers: [registry] });
  const stageSeconds = new Histogram({
    name: 'spine_stage_duration_seconds', help: 'Stage run time', labelNames: ['stage'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry],
  });
  const stageRows = new Counter({ name: 'spine_stage_rows_total', help: 'Rows written by stage', labelNames: ['stage'] as const, registers: [registry] });
  registerQueueDepthGauge(registry, queues);
  return { registry, jobs, stageSeconds, stageRows };
}
