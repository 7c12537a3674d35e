import { Redis } from 'ioredis';

export * from './queue-names.ts';

/** BullMQ needs blocking connections that retry forever rather than fail a pending command. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
