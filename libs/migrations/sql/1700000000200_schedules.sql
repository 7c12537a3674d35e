-- Up Migration
-- The publication calendar drives the scheduler: which weeks should be published by when, how late is late.
ALTER TABLE core_expected_schedules
  ADD COLUMN publication_lag_weeks   integer NOT NULL DEFAULT 2 CHECK (publication_lag_weeks >= 0),
  ADD COLUMN timezone                text NOT NULL DEFAULT 'America/New_York',
  ADD COLUMN enabled                 boolean NOT NULL DEFAULT true,
  ADD COLUMN lookback_weeks          integer NOT NULL DEFAULT 12 CHECK (lookback_weeks >= 1),
  ADD COLUMN revision_lookback_weeks integer NOT NULL DEFAULT 2 CHECK (revision_lookback_weeks >= 0),
  ADD COLUMN critical_after_hours    numeric NOT NULL DEFAULT 168 CHECK (critical_after_hours >= 0),
  ADD COLUMN source                  text NOT NULL DEFAULT 'finra',
  ADD COLUMN updated_at              timestamptz NOT NULL DEFAULT now();

-- DOMAIN.md: the week ending Friday F is published on Monday F + 17 days (Tier 1) or F + 31 days (Tier 2, OTC).
INSERT INTO core_expected_schedules (domain, stage, tier, expected_day_of_week, expected_time, tolerance_hours, publication_lag_weeks)
VALUES ('otc', 'snapshot', 'NMS_TIER_1', 1, '09:00', 24, 2),
       ('otc', 'snapshot', 'NMS_TIER_2', 1, '09:00', 24, 4),
       ('otc', 'snapshot', 'OTC',        1, '09:00', 24, 4);

-- One open freshness alert per (week, tier, severity), whichever replica or tick raises it.
CREATE UNIQUE INDEX core_anomalies_open_freshness_uidx ON core_anomalies (domain, week_ending, tier, severity)
  WHERE category = 'FRESHNESS' AND resolved_at IS NULL;

-- When a complete week was last re-fetched to look for a FINRA revision.
ALTER TABLE core_data_readiness ADD COLUMN last_revision_check_at timestamptz;

-- Down Migration
ALTER TABLE core_data_readiness DROP COLUMN last_revision_check_at;
DROP INDEX core_anomalies_open_freshness_uidx;
DELETE FROM core_expected_schedules WHERE domain = 'otc' AND stage = 'snapshot';
ALTER TABLE core_expected_schedules DROP COLUMN publication_lag_weeks, DROP COLUMN timezone, DROP COLUMN enabled,
  DROP COLUMN lookback_weeks, DROP COLUMN revision_lookback_weeks, DROP COLUMN critical_after_hours, DROP COLUMN source,
  DROP COLUMN updated_at;
