-- Up Migration
-- The core tables are every dataset's: the checks that only OTC's rows must pass (its venue types, its reject reasons)
-- become OTC's own constraints, scoped to its rows by domain (executions by pipeline), so another dataset's rows
-- carry their own keys and reasons. Same names on rollback as migrations 000 and 500 gave them.
ALTER TABLE core_captures DROP CONSTRAINT core_captures_venue_type_check,
  ADD CONSTRAINT core_captures_otc_venue_type_check CHECK (domain <> 'otc' OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_raw_files DROP CONSTRAINT core_raw_files_venue_type_check,
  ADD CONSTRAINT core_raw_files_otc_venue_type_check CHECK (domain <> 'otc' OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_manifest DROP CONSTRAINT core_manifest_venue_type_check,
  ADD CONSTRAINT core_manifest_otc_venue_type_check CHECK (domain <> 'otc' OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_rejects DROP CONSTRAINT core_rejects_venue_type_check,
  ADD CONSTRAINT core_rejects_otc_venue_type_check CHECK (domain <> 'otc' OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_quality DROP CONSTRAINT core_quality_venue_type_check,
  ADD CONSTRAINT core_quality_otc_venue_type_check CHECK (domain <> 'otc' OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_data_readiness DROP CONSTRAINT core_data_readiness_venue_type_check,
  ADD CONSTRAINT core_data_readiness_otc_venue_type_check CHECK (domain <> 'otc' OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_anomalies DROP CONSTRAINT core_anomalies_venue_type_check,
  ADD CONSTRAINT core_anomalies_otc_venue_type_check CHECK (domain <> 'otc' OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_expected_schedules DROP CONSTRAINT core_expected_schedules_venue_type_check,
  ADD CONSTRAINT core_expected_schedules_otc_venue_type_check CHECK (domain <> 'otc' OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_executions DROP CONSTRAINT core_executions_venue_type_check,
  ADD CONSTRAINT core_executions_otc_venue_type_check CHECK (pipeline <> 'otc_weekly' OR venue_type IS NULL OR venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_rejects DROP CONSTRAINT core_rejects_reason_code_check,
  ADD CONSTRAINT core_rejects_otc_reason_code_check CHECK (domain <> 'otc' OR reason_code IN ('PARSE_ERROR', 'INVALID_TIER', 'INVALID_SYMBOL', 'INVALID_MPID', 'NEGATIVE_VOLUME', 'NEGATIVE_TRADES', 'DUPLICATE_KEY', 'WEEK_MISMATCH'));

-- Down Migration
-- Rows of another dataset would break the old checks: a rollback refuses them rather than delete them.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM core_captures WHERE domain <> 'otc') OR EXISTS (SELECT 1 FROM core_executions WHERE pipeline <> 'otc_weekly') THEN
    RAISE EXCEPTION 'rows of datasets other than otc exist: remove them before rolling back migration 970';
  END IF;
END $$;
ALTER TABLE core_captures DROP CONSTRAINT core_captures_otc_venue_type_check,
  ADD CONSTRAINT core_captures_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_raw_files DROP CONSTRAINT core_raw_files_otc_venue_type_check,
  ADD CONSTRAINT core_raw_files_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_manifest DROP CONSTRAINT core_manifest_otc_venue_type_check,
  ADD CONSTRAINT core_manifest_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_rejects DROP CONSTRAINT core_rejects_otc_venue_type_check,
  ADD CONSTRAINT core_rejects_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_quality DROP CONSTRAINT core_quality_otc_venue_type_check,
  ADD CONSTRAINT core_quality_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_data_readiness DROP CONSTRAINT core_data_readiness_otc_venue_type_check,
  ADD CONSTRAINT core_data_readiness_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_anomalies DROP CONSTRAINT core_anomalies_otc_venue_type_check,
  ADD CONSTRAINT core_anomalies_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_expected_schedules DROP CONSTRAINT core_expected_schedules_otc_venue_type_check,
  ADD CONSTRAINT core_expected_schedules_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_executions DROP CONSTRAINT core_executions_otc_venue_type_check,
  ADD CONSTRAINT core_executions_venue_type_check CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_rejects DROP CONSTRAINT core_rejects_otc_reason_code_check,
  ADD CONSTRAINT core_rejects_reason_code_check CHECK (reason_code IN ('PARSE_ERROR', 'INVALID_TIER', 'INVALID_SYMBOL', 'INVALID_MPID', 'NEGATIVE_VOLUME', 'NEGATIVE_TRADES', 'DUPLICATE_KEY', 'WEEK_MISMATCH'));
