import type { Job, Queue } from 'bullmq';
import type { QueueRole } from './queue-names.ts';

/** This release's queues and, for jobs an earlier release left, the queues by their earlier names (LEGACY_QUEUES). */
export interface RoleQueues {
  fetchQueue: Queue;
  stageQueue: Queue;
  legacy?: LegacyQueues;
}

/** States in which a job of an earlier release still needs a worker, or an operator's retry. */
const UNFINISHED = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;
/** How long the answer "the legacy queues hold nothing" is trusted: an earlier release's producer may still be running. */
const EMPTY_FOR_MS = 60_000;
/** How long "they hold jobs" is: a backfill's enqueue looks up thousands of jobs, and asks once. */
const IN_USE_FOR_MS = 5_000;

/**
 * The queues by their earlier names. Whether they hold anything is asked at most once a minute while they are empty,
 * so a deployment that never ran an earlier release pays one count a minute, not a lookup per job.
 */
export class LegacyQueues {
  private known: { used: boolean; until: number } = { used: false, until: 0 };

  constructor(readonly fetchQueue: Queue, readonly stageQueue: Queue) {}

  of(role: QueueRole): Queue {
    return role === 'fetch' ? this.fetchQueue : this.stageQueue;
  }

  /** Whether either queue holds a job that is not finished (a failed one counts: it may be retried). */
  async inUse(): Promise<boolean> {
    if (Date.now() < this.known.until) return this.known.used;
    const counts = await Promise.all([this.fetchQueue, this.stageQueue].map((q) => q.getJobCounts(...UNFINISHED)));
    const used = counts.some((c) => Object.values(c).some((n) => n > 0));
    this.known = { used, until: Date.now() + (used ? IN_USE_FOR_MS : EMPTY_FOR_MS) };
    return used;
  }

  async close(): Promise<void> {
    await Promise.all([this.fetchQueue.close(), this.stageQueue.close()]);
  }
}

export function queueOfRole(queues: RoleQueues, role: QueueRole): Queue {
  return role === 'fetch' ? queues.fetchQueue : queues.stageQueue;
}

/**
 * Where the job `id` of a role is: this release's queue when it holds it (or when neither does), else the earlier
 * name's queue that does, with the job.
 */
export async function locateJob(queues: RoleQueues, role: QueueRole, id: string): Promise<{ queue: Queue; job: Job | undefined }> {
  const current = queueOfRole(queues, role);
  const job = await current.getJob(id);
  if (job || !queues.legacy || !(await queues.legacy.inUse())) return { queue: current, job };
  const legacy = queues.legacy.of(role);
  const earlier = await legacy.getJob(id);
  return earlier ? { queue: legacy, job: earlier } : { queue: current, job: undefined };
}

/** The job's state where it is ('unknown' when no queue holds it), and that queue. */
export async function locateJobState(queues: RoleQueues, role: QueueRole, id: string): Promise<{ queue: Queue; state: string }> {
  const current = queueOfRole(queues, role);
  const state = await current.getJobState(id);
  if (state !== 'unknown' || !queues.legacy || !(await queues.legacy.inUse())) return { queue: current, state };
  const legacy = queues.legacy.of(role);
  const earlier = await legacy.getJobState(id);
  return earlier !== 'unknown' ? { queue: legacy, state: earlier } : { queue: current, state };
}

/** The queue named `name`, this release's or an earlier name's: a job link, a failure or a parent key names one. */
export function queueNamed(queues: RoleQueues, name: string): Queue | undefined {
  return [queues.fetchQueue, queues.stageQueue, ...(queues.legacy ? [queues.legacy.fetchQueue, queues.legacy.stageQueue] : [])].find((q) => q.name === name);
}

/** The stage queue a parent key (`<prefix>:<queue>:<id>`) points into, and the parent's id. */
export function parentOf(queues: RoleQueues, parentKey: string): { queue: Queue; id: string } | undefined {
  const id = parentKey.slice(parentKey.lastIndexOf(':') + 1);
  const qualified = parentKey.slice(0, parentKey.lastIndexOf(':'));
  const queue = [queues.stageQueue, queues.legacy?.stageQueue].find((q) => q?.qualifiedName === qualified);
  return queue ? { queue, id } : undefined;
}
