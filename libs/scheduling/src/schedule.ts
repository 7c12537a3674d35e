import { z } from 'zod';

/** One row of core_expected_schedules. */
export const scheduleSchema = z.object({
  schedule_id: z.number().int(),
  domain: z.string(),
  stage: z.string(),
  /** The partition's keys, checked against the dataset when the schedule is written (`spine schedules set`). */
  tier: z.string().min(1),
  venue_type: z.string().min(1),
  /** The weekday a week is published on; null for a schedule of trading days, each due on its own date (+ lag). */
  expected_day_of_week: z.number().int().min(0).max(6).nullable(),
  expected_time: z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/),
  tolerance_hours: z.coerce.number().min(0),
  critical_after_hours: z.coerce.number().min(0),
  publication_lag_weeks: z.number().int().min(0),
  timezone: z.string(),
  enabled: z.boolean(),
  lookback_weeks: z.number().int().min(1),
  revision_lookback_weeks: z.number().int().min(0),
  source: z.string(),
  /** The exchange calendar whose trading days the schedule expects (core_market_calendars); null: weeks. */
  trading_calendar: z.string().nullable(),
});
export type Schedule = z.infer<typeof scheduleSchema>;
