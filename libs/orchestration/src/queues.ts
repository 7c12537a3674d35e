import { Redis } from 'ioredis';

/** IO-bound fetches and database-bound stages sit on separate queues, each with its own concurrency. */
export const QUEUES = { fetch: 'otc-fetch', stage: 'otc-stage' } as const;
export type QueueRole = keyof typeof QUEUES;
export const QUEUE_ROLES = Object.keys(QUEUES) as QueueRole[];

/** BullMQ needs blocking connections that retry forever rather than fail a pending command. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
