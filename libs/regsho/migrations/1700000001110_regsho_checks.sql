-- Up Migration
-- Reg SHO's checks on its rows of the core tables (as migration 970 scoped OTC's to OTC's rows): a partition's key is
-- a facility's market code in tier, venue_type holds the platform's NO_SECOND_KEY ('-'), and its rejects carry the
-- daily file's reason codes (libs/regsho/src/daily-file.ts, REJECT_CODES).
-- The same check on each table whose rows always name a partition, named <table>_regsho_key_check.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['core_captures', 'core_raw_files', 'core_manifest', 'core_rejects', 'core_quality', 'core_data_readiness'] LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (domain <> ''regsho'' OR (tier IN (''N'', ''Q'', ''B'', ''D'', ''O'') AND venue_type = ''-''))',
      t, t || '_regsho_key_check');
  END LOOP;
END $$;
ALTER TABLE core_anomalies ADD CONSTRAINT core_anomalies_regsho_key_check
  CHECK (domain <> 'regsho' OR tier IS NULL OR (tier IN ('N', 'Q', 'B', 'D', 'O') AND venue_type = '-'));
ALTER TABLE core_expected_schedules ADD CONSTRAINT core_expected_schedules_regsho_key_check
  CHECK (domain <> 'regsho' OR (tier IN ('N', 'Q', 'B', 'D', 'O') AND venue_type = '-' AND trading_calendar = 'XNYS'));
ALTER TABLE core_executions ADD CONSTRAINT core_executions_regsho_key_check
  CHECK (pipeline <> 'regsho_daily' OR tier IS NULL OR (tier IN ('N', 'Q', 'B', 'D', 'O') AND venue_type = '-'));
ALTER TABLE core_rejects ADD CONSTRAINT core_rejects_regsho_reason_code_check
  CHECK (domain <> 'regsho' OR reason_code IN ('PARSE_ERROR', 'DATE_MISMATCH', 'INVALID_SYMBOL', 'INVALID_VOLUME', 'SHORT_EXCEEDS_TOTAL',
    'EXEMPT_EXCEEDS_SHORT', 'DUPLICATE_SYMBOL'));

-- Down Migration
ALTER TABLE core_rejects DROP CONSTRAINT core_rejects_regsho_reason_code_check;
ALTER TABLE core_executions DROP CONSTRAINT core_executions_regsho_key_check;
ALTER TABLE core_expected_schedules DROP CONSTRAINT core_expected_schedules_regsho_key_check;
ALTER TABLE core_anomalies DROP CONSTRAINT core_anomalies_regsho_key_check;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['core_captures', 'core_raw_files', 'core_manifest', 'core_rejects', 'core_quality', 'core_data_readiness'] LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, t || '_regsho_key_check');
  END LOOP;
END $$;
