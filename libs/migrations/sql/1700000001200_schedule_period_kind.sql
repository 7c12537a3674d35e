-- Up Migration
-- A schedule names the kind of its dataset's periods, so that each process steps through them from the row alone:
-- weeks (named by their Friday), an exchange's trading days (trading_calendar names the calendar) or calendar months
-- (named by their last day: the month M is due publication_lag_weeks months after M, then on the first
-- expected_day_of_week on or after that when one is set). A dataset's migration writes its schedules with its kind;
-- a trading-day schedule written without it fails the calendar check instead of being read as weekly.
ALTER TABLE core_expected_schedules
  ADD COLUMN period_kind text NOT NULL DEFAULT 'week' CONSTRAINT core_expected_schedules_period_kind_check CHECK (period_kind IN ('week', 'trading_day', 'month'));
UPDATE core_expected_schedules SET period_kind = 'trading_day' WHERE trading_calendar IS NOT NULL;
ALTER TABLE core_expected_schedules
  DROP CONSTRAINT core_expected_schedules_weekday_check,
  ADD CONSTRAINT core_expected_schedules_calendar_check CHECK ((period_kind = 'trading_day') = (trading_calendar IS NOT NULL)),
  ADD CONSTRAINT core_expected_schedules_weekday_check CHECK (period_kind <> 'week' OR expected_day_of_week IS NOT NULL);

-- Down Migration
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM core_expected_schedules WHERE period_kind = 'month') THEN
    RAISE EXCEPTION 'core_expected_schedules holds schedules of months, which the earlier schema cannot express: delete them (their dataset''s down migration does) before rolling back';
  END IF;
END $$;
ALTER TABLE core_expected_schedules
  DROP CONSTRAINT core_expected_schedules_weekday_check,
  DROP CONSTRAINT core_expected_schedules_calendar_check,
  DROP COLUMN period_kind,
  ADD CONSTRAINT core_expected_schedules_weekday_check CHECK (trading_calendar IS NOT NULL OR expected_day_of_week IS NOT NULL);
