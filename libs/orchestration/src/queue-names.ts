/** IO-bound fetches and database-bound stages sit on separate queues, each with its own concurrency, shared by every dataset. */
export const QUEUES = { fetch: 'fetch', stage: 'stage' } as const;
export type QueueRole = keyof typeof QUEUES;
export const QUEUE_ROLES = Object.keys(QUEUES) as QueueRole[];

/**
 * What the queues were called when they served one dataset, before migration 1200's release. Jobs a release before
 * it left there (waiting, delayed, retrying, failed, or parents waiting for children) run on this release's workers
 * and are found by its producers and the reconciler (job-location.ts); nothing new is added to them.
 */
export const LEGACY_QUEUES: Record<QueueRole, string> = { fetch: 'otc-fetch', stage: 'otc-stage' };

/** The queue a week's stage job is on: fetches on the fetch queue, every other stage on the stage queue. */
export function queueOfStage(stage: string): (typeof QUEUES)[QueueRole] {
  return stage === 'fetch' ? QUEUES.fetch : QUEUES.stage;
}

/** The role of a queue by this release's name or an earlier one (LEGACY_QUEUES); undefined for any other name. */
export function roleOfQueue(name: string): QueueRole | undefined {
  return QUEUE_ROLES.find((role) => QUEUES[role] === name || LEGACY_QUEUES[role] === name);
}
