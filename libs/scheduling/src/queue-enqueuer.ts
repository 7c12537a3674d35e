import { enqueueBatch, type EnqueueDeps } from '@spine/orchestration';
import type { Enqueuer } from './scheduler-tick.ts';
import type { LeaderLease } from './leader-lease.ts';

/**
 * The production enqueuer: one `scheduled` batch through the worker cluster's queues per tick and source. With a
 * lease, the batch is only enqueued while the tick's fencing token still holds it (checked under the enqueue lock),
 * so a replica deposed mid-tick enqueues nothing.
 */
export function queueEnqueuer(deps: EnqueueDeps, maxRejectShare: number, lease?: LeaderLease): Enqueuer {
  return {
    async enqueue({ dataset, weeks, source, fencingToken }) {
      const result = await enqueueBatch(deps, {
        dataset, kind: 'scheduled', weeks, source, force: false, maxRejectShare, retryFailed: true, requestedBy: 'scheduler',
        params: { fencing_token: fencingToken },
        fence: lease ? () => lease.assertHolds(fencingToken) : undefined,
      });
      return { batch_id: result.enqueued.length ? result.batch_id : null, enqueued: result.enqueued, in_flight: result.in_flight };
    },
  };
}
