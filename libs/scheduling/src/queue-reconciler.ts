import { reconcile, type EnqueueDeps } from '@spine/orchestration';
import type { Reconciler } from './scheduler-tick.ts';
import type { LeaderLease } from './leader-lease.ts';

/**
 * The production reconciler of a tick: orchestration's reconcile over the cluster's queues. With a lease, it
 * changes nothing unless the tick's fencing token still holds it (checked under the enqueue lock, as enqueues are).
 */
export function queueReconciler(deps: EnqueueDeps, defaultMaxRejectShare: number, lease?: LeaderLease): Reconciler {
  return {
    reconcile: ({ dryRun, fencingToken }) =>
      reconcile(deps, { dryRun, defaultMaxRejectShare, fence: lease && !dryRun ? () => lease.assertHolds(fencingToken) : undefined }),
  };
}
