import { enqueueBatch, type EnqueueDeps } from '@spine/orchestration';
import type { Enqueuer } from './scheduler-tick.ts';

/** The production enqueuer: one `scheduled` batch through the worker cluster's queues per tick and source. */
export function queueEnqueuer(deps: EnqueueDeps, maxRejectShare: number): Enqueuer {
  return {
    async enqueue({ weeks, source, fencingToken }) {
      const result = await enqueueBatch(deps, {
        kind: 'scheduled', weeks, source, force: false, maxRejectShare, retryFailed: true, requestedBy: 'scheduler',
        params: { fencing_token: fencingToken },
      });
      return { batch_id: result.enqueued.length ? result.batch_id : null, enqueued: result.enqueued, in_flight: result.in_flight };
    },
  };
}
