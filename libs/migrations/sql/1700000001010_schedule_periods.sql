-- Up Migration
-- A schedule steps through its dataset's periods. Weeks (trading_calendar NULL): the week ending Friday F is due on
-- the first expected_day_of_week on or after F + publication_lag_weeks weeks. An exchange's trading days
-- (trading_calendar names its calendar): the day D is due publication_lag_weeks trading days after D (0: D itself),
-- at expected_time, with no weekday of its own; lookback_weeks and revision_lookback_weeks count trading days too.
ALTER TABLE core_expected_schedules
  ADD COLUMN trading_calendar text REFERENCES core_market_calendars (calendar),
  ALTER COLUMN expected_day_of_week DROP NOT NULL,
  ADD CONSTRAINT core_expected_schedules_weekday_check CHECK (trading_calendar IS NOT NULL OR expected_day_of_week IS NOT NULL);

-- Down Migration
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM core_expected_schedules WHERE trading_calendar IS NOT NULL) THEN
    RAISE EXCEPTION 'core_expected_schedules holds schedules of trading days, which the earlier schema cannot express: delete them (their dataset''s down migration does) before rolling back';
  END IF;
END $$;
ALTER TABLE core_expected_schedules
  DROP CONSTRAINT core_expected_schedules_weekday_check,
  DROP COLUMN trading_calendar,
  ALTER COLUMN expected_day_of_week SET NOT NULL;
