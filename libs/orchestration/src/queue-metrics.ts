import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'waiting-children', 'prioritized'] as const;

/** `spine_queue_jobs{queue,state}`: job counts read from Redis at scrape time. */
export function registerQueueDepthGauge(registry: Registry, queues: Queue[]): void {
  new Gauge({
    name: 'spine_queue_jobs', help: 'Jobs in the queue by state', labelNames: ['queue', 'state'] as const, registers: [registry],
    async collect() {
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...STATES);
        for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
      }
    },
  });
}
