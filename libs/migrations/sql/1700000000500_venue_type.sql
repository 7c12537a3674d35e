-- Up Migration
-- A partition is (week_ending, tier, venue_type) (DOMAIN.md): FINRA publishes ATS volume (ATS_W_SMBL_FIRM) and
-- non-ATS OTC volume (OTC_W_SMBL_FIRM) of every week and tier as separate summaries, each loaded, revised and late
-- on its own. Everything loaded before this migration is ATS. The defaults only fill existing rows and are dropped
-- again, so no writer can leave the venue type out.

ALTER TABLE core_executions ADD COLUMN venue_type text CHECK (venue_type IN ('ATS', 'NON_ATS'));
UPDATE core_executions SET venue_type = 'ATS' WHERE tier IS NOT NULL;

ALTER TABLE core_anomalies ADD COLUMN venue_type text CHECK (venue_type IN ('ATS', 'NON_ATS'));
UPDATE core_anomalies SET venue_type = 'ATS' WHERE tier IS NOT NULL;
DROP INDEX core_anomalies_open_freshness_uidx;
CREATE UNIQUE INDEX core_anomalies_open_freshness_uidx ON core_anomalies (domain, week_ending, tier, venue_type, severity)
  WHERE category = 'FRESHNESS' AND resolved_at IS NULL;

ALTER TABLE core_captures ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS' CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_captures ALTER COLUMN venue_type DROP DEFAULT,
  DROP CONSTRAINT core_captures_domain_week_ending_tier_source_sha256_key,
  DROP CONSTRAINT core_captures_domain_week_ending_tier_revision_key,
  ADD CONSTRAINT core_captures_partition_sha256_key UNIQUE (domain, week_ending, tier, venue_type, source_sha256),
  ADD CONSTRAINT core_captures_partition_revision_key UNIQUE (domain, week_ending, tier, venue_type, revision);

ALTER TABLE core_raw_files ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS' CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_raw_files ALTER COLUMN venue_type DROP DEFAULT,
  DROP CONSTRAINT core_raw_files_domain_week_ending_tier_sha256_key,
  DROP CONSTRAINT core_raw_files_domain_week_ending_tier_revision_key,
  ADD CONSTRAINT core_raw_files_partition_sha256_key UNIQUE (domain, week_ending, tier, venue_type, sha256),
  ADD CONSTRAINT core_raw_files_partition_revision_key UNIQUE (domain, week_ending, tier, venue_type, revision);

ALTER TABLE core_manifest ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS' CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_manifest ALTER COLUMN venue_type DROP DEFAULT, DROP CONSTRAINT core_manifest_pkey,
  ADD PRIMARY KEY (domain, week_ending, tier, venue_type, capture_id, stage);

ALTER TABLE core_rejects ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS' CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_rejects ALTER COLUMN venue_type DROP DEFAULT;
DROP INDEX core_rejects_week_idx;
CREATE INDEX core_rejects_week_idx ON core_rejects (domain, week_ending, tier, venue_type);

ALTER TABLE core_quality ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS' CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_quality ALTER COLUMN venue_type DROP DEFAULT;

ALTER TABLE core_data_readiness ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS' CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_data_readiness ALTER COLUMN venue_type DROP DEFAULT, DROP CONSTRAINT core_data_readiness_pkey,
  ADD PRIMARY KEY (domain, week_ending, tier, venue_type);

-- The scheduler expects both venue types of every tier on the tier's calendar.
ALTER TABLE core_expected_schedules ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS' CHECK (venue_type IN ('ATS', 'NON_ATS'));
ALTER TABLE core_expected_schedules ALTER COLUMN venue_type DROP DEFAULT,
  DROP CONSTRAINT core_expected_schedules_domain_stage_tier_key,
  ADD CONSTRAINT core_expected_schedules_partition_key UNIQUE (domain, stage, tier, venue_type);
INSERT INTO core_expected_schedules (domain, stage, tier, venue_type, expected_day_of_week, expected_time, tolerance_hours,
    publication_lag_weeks, timezone, enabled, lookback_weeks, revision_lookback_weeks, critical_after_hours, source)
  SELECT domain, stage, tier, 'NON_ATS', expected_day_of_week, expected_time, tolerance_hours,
         publication_lag_weeks, timezone, enabled, lookback_weeks, revision_lookback_weeks, critical_after_hours, source
    FROM core_expected_schedules WHERE domain = 'otc' AND venue_type = 'ATS';

-- Every OTC table carries the venue type of its capture; a non-ATS venue is a reporting firm (see firm_crd_number).
ALTER TABLE otc_raw ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS', ADD COLUMN firm_crd_number bigint;
ALTER TABLE otc_venue_volume ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS', ADD COLUMN firm_crd_number bigint;
ALTER TABLE otc_symbol_summary ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS';
ALTER TABLE otc_venue_share ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS';
ALTER TABLE otc_symbol_concentration ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS';
ALTER TABLE otc_liquidity_score ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS';
ALTER TABLE otc_symbol_rolling_6w ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS';
ALTER TABLE otc_research_snapshot ADD COLUMN venue_type text NOT NULL DEFAULT 'ATS', ADD COLUMN ats_share_pct numeric(9, 4);
ALTER TABLE otc_raw ALTER COLUMN venue_type DROP DEFAULT;
ALTER TABLE otc_venue_volume ALTER COLUMN venue_type DROP DEFAULT;
ALTER TABLE otc_symbol_summary ALTER COLUMN venue_type DROP DEFAULT;
ALTER TABLE otc_venue_share ALTER COLUMN venue_type DROP DEFAULT;
ALTER TABLE otc_symbol_concentration ALTER COLUMN venue_type DROP DEFAULT;
ALTER TABLE otc_liquidity_score ALTER COLUMN venue_type DROP DEFAULT;
ALTER TABLE otc_symbol_rolling_6w ALTER COLUMN venue_type DROP DEFAULT;
ALTER TABLE otc_research_snapshot ALTER COLUMN venue_type DROP DEFAULT;

-- Per week x tier x symbol: where off-exchange volume went, to ATSs or to other firms. One row set per pair of
-- captures (the ATS and the non-ATS capture it was computed from), so revisions keep their point-in-time history;
-- capture_id is the one whose aggregate computed it (the later of the two), as on every other output row.
CREATE TABLE otc_symbol_ats_share (
  capture_id           text NOT NULL,
  week_ending          date NOT NULL,
  tier                 text NOT NULL,
  symbol               text NOT NULL,
  ats_capture_id       text NOT NULL,
  non_ats_capture_id   text NOT NULL,
  ats_volume           bigint,
  non_ats_volume       bigint,
  ats_share_pct        numeric(9, 4),
  calc_name            text NOT NULL,
  calc_version         integer NOT NULL,
  execution_id         uuid NOT NULL,
  batch_id             text NOT NULL,
  captured_at          timestamptz NOT NULL,
  PRIMARY KEY (ats_capture_id, non_ats_capture_id, symbol)
);
CREATE INDEX otc_symbol_ats_share_non_ats_idx ON otc_symbol_ats_share (non_ats_capture_id);

-- The newest capture of each partition: what the *_latest views expose.
CREATE OR REPLACE VIEW otc_latest_captures AS
  SELECT DISTINCT ON (week_ending, tier, venue_type) capture_id, week_ending, tier, revision, captured_at, venue_type
  FROM core_captures
  WHERE domain = 'otc'
  ORDER BY week_ending, tier, venue_type, revision DESC;

CREATE OR REPLACE VIEW otc_raw_latest AS SELECT t.* FROM otc_raw t JOIN otc_latest_captures USING (capture_id);
CREATE OR REPLACE VIEW otc_venue_volume_latest AS SELECT t.* FROM otc_venue_volume t JOIN otc_latest_captures USING (capture_id);
CREATE OR REPLACE VIEW otc_symbol_summary_latest AS SELECT t.* FROM otc_symbol_summary t JOIN otc_latest_captures USING (capture_id);
CREATE OR REPLACE VIEW otc_venue_share_latest AS SELECT t.* FROM otc_venue_share t JOIN otc_latest_captures USING (capture_id);
CREATE OR REPLACE VIEW otc_symbol_concentration_latest AS SELECT t.* FROM otc_symbol_concentration t JOIN otc_latest_captures USING (capture_id);
CREATE OR REPLACE VIEW otc_liquidity_score_latest AS SELECT t.* FROM otc_liquidity_score t JOIN otc_latest_captures USING (capture_id);
CREATE OR REPLACE VIEW otc_symbol_rolling_6w_latest AS SELECT t.* FROM otc_symbol_rolling_6w t JOIN otc_latest_captures USING (capture_id);
CREATE OR REPLACE VIEW otc_research_snapshot_latest AS SELECT t.* FROM otc_research_snapshot t JOIN otc_latest_captures USING (capture_id);
-- The share computed from the newest capture of both venue types.
CREATE VIEW otc_symbol_ats_share_latest AS
  SELECT t.* FROM otc_symbol_ats_share t
    JOIN otc_latest_captures a ON a.capture_id = t.ats_capture_id
    JOIN otc_latest_captures n ON n.capture_id = t.non_ats_capture_id;

INSERT INTO core_calc_dependencies (domain, calc_name, calc_version, stage, depends_on) VALUES
  ('otc', 'otc_symbol_ats_share', 1, 'aggregate', '{otc_symbol_summary}');
UPDATE core_calc_dependencies SET depends_on = depends_on || '{otc_symbol_ats_share}'
 WHERE domain = 'otc' AND calc_name = 'otc_research_snapshot';

-- Down Migration
-- Non-ATS partitions cannot be represented without the column: a rollback deletes them first.
UPDATE core_calc_dependencies SET depends_on = array_remove(depends_on, 'otc_symbol_ats_share') WHERE domain = 'otc' AND calc_name = 'otc_research_snapshot';
DELETE FROM core_calc_dependencies WHERE domain = 'otc' AND calc_name = 'otc_symbol_ats_share';
DROP VIEW otc_symbol_ats_share_latest, otc_research_snapshot_latest, otc_symbol_rolling_6w_latest, otc_liquidity_score_latest,
  otc_symbol_concentration_latest, otc_venue_share_latest, otc_symbol_summary_latest, otc_venue_volume_latest, otc_raw_latest, otc_latest_captures;
DROP TABLE otc_symbol_ats_share;
DELETE FROM otc_raw WHERE venue_type = 'NON_ATS';
DELETE FROM otc_venue_volume WHERE venue_type = 'NON_ATS';
DELETE FROM otc_symbol_summary WHERE venue_type = 'NON_ATS';
DELETE FROM otc_venue_share WHERE venue_type = 'NON_ATS';
DELETE FROM otc_symbol_concentration WHERE venue_type = 'NON_ATS';
DELETE FROM otc_liquidity_score WHERE venue_type = 'NON_ATS';
DELETE FROM otc_symbol_rolling_6w WHERE venue_type = 'NON_ATS';
DELETE FROM otc_research_snapshot WHERE venue_type = 'NON_ATS';
DELETE FROM core_rejects WHERE venue_type = 'NON_ATS';
DELETE FROM core_quality WHERE venue_type = 'NON_ATS';
DELETE FROM core_manifest WHERE venue_type = 'NON_ATS';
DELETE FROM core_data_readiness WHERE venue_type = 'NON_ATS';
DELETE FROM core_captures WHERE venue_type = 'NON_ATS';
DELETE FROM core_raw_files WHERE venue_type = 'NON_ATS';
DELETE FROM core_anomalies WHERE venue_type = 'NON_ATS';
DELETE FROM core_executions WHERE venue_type = 'NON_ATS';
DELETE FROM core_expected_schedules WHERE venue_type = 'NON_ATS';
ALTER TABLE otc_raw DROP COLUMN venue_type, DROP COLUMN firm_crd_number;
ALTER TABLE otc_venue_volume DROP COLUMN venue_type, DROP COLUMN firm_crd_number;
ALTER TABLE otc_symbol_summary DROP COLUMN venue_type;
ALTER TABLE otc_venue_share DROP COLUMN venue_type;
ALTER TABLE otc_symbol_concentration DROP COLUMN venue_type;
ALTER TABLE otc_liquidity_score DROP COLUMN venue_type;
ALTER TABLE otc_symbol_rolling_6w DROP COLUMN venue_type;
ALTER TABLE otc_research_snapshot DROP COLUMN venue_type, DROP COLUMN ats_share_pct;
CREATE VIEW otc_latest_captures AS
  SELECT DISTINCT ON (week_ending, tier) capture_id, week_ending, tier, revision, captured_at
  FROM core_captures WHERE domain = 'otc' ORDER BY week_ending, tier, revision DESC;
CREATE VIEW otc_raw_latest AS SELECT t.* FROM otc_raw t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_venue_volume_latest AS SELECT t.* FROM otc_venue_volume t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_summary_latest AS SELECT t.* FROM otc_symbol_summary t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_venue_share_latest AS SELECT t.* FROM otc_venue_share t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_concentration_latest AS SELECT t.* FROM otc_symbol_concentration t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_liquidity_score_latest AS SELECT t.* FROM otc_liquidity_score t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_rolling_6w_latest AS SELECT t.* FROM otc_symbol_rolling_6w t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_research_snapshot_latest AS SELECT t.* FROM otc_research_snapshot t JOIN otc_latest_captures USING (capture_id);
ALTER TABLE core_expected_schedules DROP CONSTRAINT core_expected_schedules_partition_key, DROP COLUMN venue_type,
  ADD CONSTRAINT core_expected_schedules_domain_stage_tier_key UNIQUE (domain, stage, tier);
ALTER TABLE core_data_readiness DROP CONSTRAINT core_data_readiness_pkey, DROP COLUMN venue_type, ADD PRIMARY KEY (domain, week_ending, tier);
ALTER TABLE core_quality DROP COLUMN venue_type;
DROP INDEX core_rejects_week_idx;
ALTER TABLE core_rejects DROP COLUMN venue_type;
CREATE INDEX core_rejects_week_idx ON core_rejects (domain, week_ending, tier);
ALTER TABLE core_manifest DROP CONSTRAINT core_manifest_pkey, DROP COLUMN venue_type, ADD PRIMARY KEY (domain, week_ending, tier, capture_id, stage);
ALTER TABLE core_raw_files DROP CONSTRAINT core_raw_files_partition_sha256_key, DROP CONSTRAINT core_raw_files_partition_revision_key, DROP COLUMN venue_type,
  ADD CONSTRAINT core_raw_files_domain_week_ending_tier_sha256_key UNIQUE (domain, week_ending, tier, sha256),
  ADD CONSTRAINT core_raw_files_domain_week_ending_tier_revision_key UNIQUE (domain, week_ending, tier, revision);
ALTER TABLE core_captures DROP CONSTRAINT core_captures_partition_sha256_key, DROP CONSTRAINT core_captures_partition_revision_key, DROP COLUMN venue_type,
  ADD CONSTRAINT core_captures_domain_week_ending_tier_source_sha256_key UNIQUE (domain, week_ending, tier, source_sha256),
  ADD CONSTRAINT core_captures_domain_week_ending_tier_revision_key UNIQUE (domain, week_ending, tier, revision);
DROP INDEX core_anomalies_open_freshness_uidx;
ALTER TABLE core_anomalies DROP COLUMN venue_type;
CREATE UNIQUE INDEX core_anomalies_open_freshness_uidx ON core_anomalies (domain, week_ending, tier, severity)
  WHERE category = 'FRESHNESS' AND resolved_at IS NULL;
ALTER TABLE core_executions DROP COLUMN venue_type;
