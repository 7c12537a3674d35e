import * as z from 'zod';
import { wireSeriesShape } from '@spine/platform/dataset/wire-partition';

/** One row of core_expected_schedules. */
export const scheduleSchema = z.object({
  schedule_id: z.number().int(),
  domain: z.string(),
  stage: z.string(),
  /** The series' keys, checked against the dataset when the schedule is written (`spine schedules set`). */
  ...wireSeriesShape,
  /** The weekday a period is published on; null for one due on its own date (+ lag): trading days, months. */
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
  /** The kind of its dataset's periods: what it steps through, and what lookback_weeks and the lag count. */
  period_kind: z.enum(['week', 'trading_day', 'month']),
  /** The exchange calendar of a schedule of trading days (core_market_calendars); null for weeks and months. */
  trading_calendar: z.string().nullable(),
});
export type Schedule = z.infer<typeof scheduleSchema>;
