import { z } from 'zod';
import { TIERS, VENUE_TYPES } from '@spine/otc';
import { fridaySchema } from '@spine/orchestration';

export const weeksQuery = z.object({ weeks: z.coerce.number().int().min(1).max(260).default(12) });

/** The coverage grid: how many weeks, ending at which (the newest due week when absent). */
export const coverageQuery = weeksQuery.extend({ until: fridaySchema.optional() });

/** A partition in a path: /partitions/<tier>/<venue type>/<week ending>. */
export const partitionParams = z.object({ tier: z.enum(TIERS), venue_type: z.enum(VENUE_TYPES), week_ending: fridaySchema });
export type PartitionParams = z.infer<typeof partitionParams>;

export function partitionPath(p: PartitionParams | { tier: string; venue_type: string; week_ending: string }): string {
  return `/partitions/${encodeURIComponent(p.tier)}/${encodeURIComponent(p.venue_type)}/${encodeURIComponent(p.week_ending)}`;
}

/** A job's page on Bull Board. */
export function jobPath(job: { queue: string; id: string }): string {
  return `/queues/queue/${encodeURIComponent(job.queue)}/${encodeURIComponent(job.id)}`;
}
