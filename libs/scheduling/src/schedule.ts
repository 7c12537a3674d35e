import { z } from 'zod';

/** One row of core_expected_schedules. */
export const scheduleSchema = z.object({
  schedule_id: z.number().int(),
  domain: z.string(),
  stage: z.string(),
  /** The partition's keys, checked against the dataset when the schedule is written (`spine schedules set`). */
  tier: z.string().min(1),
  venue_type: z.string().min(1),
  expected_day_of_week: z.number().int().min(0).max(6),
  expected_time: z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/),
  tolerance_hours: z.coerce.number().min(0),
  critical_after_hours: z.coerce.number().min(0),
  publication_lag_weeks: z.number().int().min(0),
  timezone: z.string(),
  enabled: z.boolean(),
  lookback_weeks: z.number().int().min(1),
  revision_lookback_weeks: z.number().int().min(0),
  source: z.string(),
});
export type Schedule = z.infer<typeof scheduleSchema>;
