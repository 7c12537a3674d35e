import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runWeek } from '@spine/otc';
import type { Pool } from '@spine/platform';
import type { Enqueuer, EnqueueWeeks } from '@spine/scheduling';

/**
 * A test double of the worker cluster with its queue semantics: a week whose file FINRA has published runs through
 * the real pipeline in-process; one not yet published stays pending (in flight) and runs once its file appears.
 */
export class InProcessEnqueuer implements Enqueuer {
  readonly accepted: string[] = [];
  private pending = new Set<string>();

  constructor(private readonly pool: Pool, private readonly dir: string, private readonly isPublished: (tier: string, week: string) => boolean) {}

  async enqueue(request: EnqueueWeeks) {
    const enqueued: EnqueueWeeks['weeks'] = [];
    const inFlight: EnqueueWeeks['weeks'] = [];
    for (const week of request.weeks) {
      const key = `${week.tier} ${week.week_ending}`;
      const wasPending = this.pending.has(key);
      if (!wasPending) {
        this.accepted.push(key);
        enqueued.push(week);
      } else {
        inFlight.push(week);
      }
      const file = join(this.dir, week.tier, `${week.week_ending}.psv`);
      if (this.isPublished(week.tier, week.week_ending) && existsSync(file)) {
        this.pending.delete(key);
        await runWeek(this.pool, { tier: week.tier, weekEnding: week.week_ending, file, maxRejectShare: 0.05 });
      } else {
        this.pending.add(key);
      }
    }
    return { batch_id: enqueued.length ? `sim-${this.accepted.length}` : null, enqueued, in_flight: inFlight };
  }
}
