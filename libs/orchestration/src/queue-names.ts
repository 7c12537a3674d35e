/** IO-bound fetches and database-bound stages sit on separate queues, each with its own concurrency. */
export const QUEUES = { fetch: 'otc-fetch', stage: 'otc-stage' } as const;
export type QueueRole = keyof typeof QUEUES;
export const QUEUE_ROLES = Object.keys(QUEUES) as QueueRole[];

/** The queue a week's stage job is on: fetches on the fetch queue, every other stage on the stage queue. */
export function queueOfStage(stage: string): (typeof QUEUES)[QueueRole] {
  return stage === 'fetch' ? QUEUES.fetch : QUEUES.stage;
}
