import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerQueueDepthGauge, type WorkerMetrics } from '@spine/orchestration';
import type { Queue } from 'bullmq';
import { partitionLabelNames, type DatasetRegistry } from '@spine/platform';

/**
 * The worker's Prometheus metrics: jobs by queue and outcome, stage durations and rows, queue depth by state, and
 * the data counters its stages move (weeks ingested, duplicate records, validation failures by check).
 */
export function createWorkerMetrics(queues: Queue[], datasets: DatasetRegistry): WorkerMetrics & { registry: Registry; jobs: Counter<'queue' | 'state'> } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const jobs = new Counter({ name: 'spine_jobs_total', help: 'Jobs finished by this worker', labelNames: ['queue', 'state'] as const, registers: [registry] });
  const stageSeconds = new Histogram({
    name: 'spine_stage_duration_seconds', help: 'Stage run time', labelNames: ['dataset', 'stage'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry],
  });
  const stageRows = new Counter({ name: 'spine_stage_rows_total', help: 'Rows written by stage', labelNames: ['dataset', 'stage'] as const, registers: [registry] });
  const partition = partitionLabelNames(datasets.list());
  const weeksIngested = new Counter({ name: 'spine_week_captures_ingested_total', help: 'Captures (one per version of a period\'s source: a week, a trading day) whose ingest stage completed', labelNames: partition, registers: [registry] });
  const duplicateRecords = new Counter({ name: 'spine_duplicate_records_total', help: 'Source lines rejected as a duplicate of another line\'s key in the same capture', labelNames: partition, registers: [registry] });
  const validationFailures = new Counter({
    name: 'spine_validation_failures_total', help: 'Quality check verdicts other than PASS, by dataset, check and status (WARN, FAIL)', labelNames: ['dataset', 'check', 'status'] as const, registers: [registry],
  });
  registerQueueDepthGauge(registry, queues);
  return { registry, jobs, stageSeconds, stageRows, weeksIngested, duplicateRecords, validationFailures };
}
