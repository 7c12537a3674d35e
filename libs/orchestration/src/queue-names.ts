/** IO-bound fetches and database-bound stages sit on separate queues, each with its own concurrency. */
export const QUEUES = { fetch: 'otc-fetch', stage: 'otc-stage' } as const;
export type QueueRole = keyof typeof QUEUES;
export const QUEUE_ROLES = Object.keys(QUEUES) as QueueRole[];
