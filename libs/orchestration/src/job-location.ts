import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { LEGACY_QUEUES, type QueueRole } from './queue-names.ts';

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

  /** The earlier names' queues on `connection` under `prefix` (QUEUE_PREFIX), as a process opens its own queues. */
  static open(connection: ConnectionOptions, prefix: string): LegacyQueues {
    return new LegacyQueues(new Queue(LEGACY_QUEUES.fetch, { connection, prefix }), new Queue(LEGACY_QUEUES.stage, { connection, prefix }));
  }

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
 * What `ask` answers of the role's queue, when `found` says it holds the job; else of the earlier name's queue, when
 * that one does; else this release's queue and its answer.
 */
async function onEitherName<T>(queues: RoleQueues, role: QueueRole, ask: (queue: Queue) => Promise<T>, found: (answer: T) => boolean): Promise<{ queue: Queue; answer: T }> {
  const current = queueOfRole(queues, role);
  const answer = await ask(current);
  if (found(answer) || !queues.legacy || !(await queues.legacy.inUse())) return { queue: current, answer };
  const legacy = queues.legacy.of(role);
  const earlier = await ask(legacy);
  return found(earlier) ? { queue: legacy, answer: earlier } : { queue: current, answer };
}

/** Where the job `id` of a role is, with the job: this release's queue when no queue holds it. */
export async function locateJob(queues: RoleQueues, role: QueueRole, id: string): Promise<{ queue: Queue; job: Job | undefined }> {
  const { queue, answer } = await onEitherName(queues, role, (q) => q.getJob(id), (job) => job !== undefined);
  return { queue, job: answer };
}

/** The job's state where it is ('unknown' when no queue holds it), and that queue. */
export async function locateJobState(queues: RoleQueues, role: QueueRole, id: string): Promise<{ queue: Queue; state: string }> {
  const { queue, answer } = await onEitherName(queues, role, (q) => q.getJobState(id), (state) => state !== 'unknown');
  return { queue, state: answer };
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
