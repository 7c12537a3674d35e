import { FlowProducer, Queue } from 'bullmq';
import type { DatasetRegistry } from '@spine/platform';
import type { OrchestrationEnv } from './orchestration-env.ts';
import { createRedis, QUEUES } from './queues.ts';
import { LegacyQueues } from './job-location.ts';
import type { EnqueueDeps } from './batch-enqueue.ts';
import type { Pool } from '@spine/platform';

/** A producer's view of the queues (enqueue and progress), with the retry policy from the environment. */
export function openQueues(env: OrchestrationEnv, pool: Pool, datasets: DatasetRegistry): EnqueueDeps & { close(): Promise<void> } {
  const connection = createRedis(env.REDIS_URL);
  const flows = new FlowProducer({ connection, prefix: env.QUEUE_PREFIX });
  const fetchQueue = new Queue(QUEUES.fetch, { connection, prefix: env.QUEUE_PREFIX });
  const stageQueue = new Queue(QUEUES.stage, { connection, prefix: env.QUEUE_PREFIX });
  const legacy = LegacyQueues.open(connection, env.QUEUE_PREFIX);
  return {
    pool, datasets, flows, fetchQueue, stageQueue, legacy,
    retry: { fetch: { attempts: env.FETCH_ATTEMPTS, backoffMs: env.FETCH_BACKOFF_MS }, stage: { attempts: env.STAGE_ATTEMPTS, backoffMs: env.STAGE_BACKOFF_MS } },
    async close() {
      await Promise.all([flows.close(), fetchQueue.close(), stageQueue.close(), legacy.close()]);
      await connection.quit();
    },
  };
}
