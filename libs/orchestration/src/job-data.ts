import { z } from 'zod';
import { TIERS, VENUE_TYPES } from '@spine/otc';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** What every job of a week chain carries; validated when a worker picks the job up. */
export const weekJobSchema = z.object({
  batch_id: z.string().min(1),
  correlation_id: z.string().min(1),
  week_execution_id: z.uuid(),
  tier: z.enum(TIERS),
  /** Jobs enqueued before the venue type existed are ATS weeks. */
  venue_type: z.enum(VENUE_TYPES).default('ATS'),
  week_ending: isoDate,
  source: z.string().min(1),
  force: z.boolean(),
  max_reject_share: z.number().min(0).max(1),
  /** The stage that closes the week's chain: `aggregate` in a backfill (its batch runs the windows), else `snapshot`. */
  last_stage: z.enum(['aggregate', 'snapshot']),
});
export type WeekJobData = z.infer<typeof weekJobSchema>;

export const batchJobSchema = z.object({
  batch_id: z.string().min(1),
  correlation_id: z.string().min(1),
  batch_execution_id: z.uuid(),
  weeks: z.array(z.object({ tier: z.enum(TIERS), venue_type: z.enum(VENUE_TYPES).default('ATS'), week_ending: isoDate })),
  max_reject_share: z.number().min(0).max(1),
  /** A forced backfill re-runs the window stages too, so they match the freshly rewritten aggregates. */
  force: z.boolean().default(false),
});
export type BatchJobData = z.infer<typeof batchJobSchema>;

/** What a chain job returns to its parent: the capture it worked on, or that the week stopped at a gate. */
export const stageResultSchema = z.object({
  capture_id: z.string(),
  raw_object_key: z.string().optional(),
  gated: z.boolean(),
  rows: z.number(),
});
export type StageResult = z.infer<typeof stageResultSchema>;

export function parseJobData<T>(schema: z.ZodType<T>, data: unknown, jobId: string | undefined): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new Error(`job ${jobId} has invalid data: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
