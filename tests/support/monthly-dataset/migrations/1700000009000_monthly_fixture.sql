-- Up Migration
-- A dataset that exists only in tests (tests/support/monthly-dataset): one symbol's monthly volume in each of two
-- regions, a partition per month x region. Its own table, views, graph, schedules and retention policy, as a real
-- dataset's migrations write them; nothing of the platform's schema changes for it.
CREATE TABLE monthly_fixture_lines (
  capture_key  integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  symbol       text NOT NULL,
  volume       bigint NOT NULL CHECK (volume >= 0),
  PRIMARY KEY (capture_key, symbol)
);

-- Every published capture's rows (ingest's lineage row publishes them) and the newest of each month x region.
CREATE VIEW monthly_fixture_volume AS
  SELECT c.capture_id, c.period_end AS month_end, c.key_1 AS region, l.symbol, l.volume, c.revision, g.execution_id, g.batch_id
    FROM monthly_fixture_lines l
    JOIN core_calc_lineage g ON g.capture_key = l.capture_key AND g.calc_name = 'monthly_fixture_volume'
    JOIN core_captures c ON c.capture_key = l.capture_key;
CREATE VIEW monthly_fixture_volume_latest AS
  SELECT DISTINCT ON (month_end, region, symbol) * FROM monthly_fixture_volume ORDER BY month_end, region, symbol, revision DESC;

INSERT INTO core_calc_dependencies (domain, calc_name, calc_version, stage, depends_on)
VALUES ('monthly_fixture', 'monthly_fixture_volume', 1, 'ingest', '{}');
INSERT INTO core_retention_policies (domain, table_name, keep) VALUES ('monthly_fixture', 'monthly_fixture_volume', NULL);
-- A month is published by 09:00 UTC on the last day of the month after it; the last three are looked back on.
INSERT INTO core_expected_schedules (domain, stage, key_1, key_2, expected_day_of_week, expected_time, tolerance_hours,
    critical_after_hours, publication_lag_weeks, timezone, lookback_weeks, revision_lookback_weeks, source, period_kind)
SELECT 'monthly_fixture', 'ingest', region, '-', NULL, '09:00', 24, 72, 1, 'UTC', 3, 0, 'finra', 'month'
  FROM unnest(ARRAY['EAST', 'WEST']) AS region;

-- Down Migration
DROP VIEW monthly_fixture_volume_latest, monthly_fixture_volume;
DROP TABLE monthly_fixture_lines;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['core_expected_schedules', 'core_retention_policies', 'core_calc_dependencies', 'core_anomalies', 'core_quality',
      'core_rejects', 'core_data_readiness', 'core_manifest', 'core_raw_files'] LOOP
    EXECUTE format('DELETE FROM %I WHERE domain = %L', t, 'monthly_fixture');
  END LOOP;
END $$;
DELETE FROM core_captures WHERE domain = 'monthly_fixture';
