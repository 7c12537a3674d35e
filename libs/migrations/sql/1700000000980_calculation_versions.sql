-- Up Migration
-- Calculations as first-class citizens (issue 23, part 1).
-- - core_calc_versions: each major version's spec as its code declares it (identity, lineage, dependencies, behaviour,
--   documentation, validation), written by the start-up sync (spine calcs sync); core_calc_dependencies keeps the
--   graph, and its calc_version is the current major version.
-- - core_calc_version_lineage: the lineage of the versions a contract view does not serve, one row per capture,
--   calculation and version (core_calc_lineage keeps the current version's). Promoting a version swaps the two.
-- - core_calc_row_checks: the expected row count of each run (1 per symbol-week...), a quality check of its own kept
--   apart from core_quality, whose five checks per capture are the research snapshot's quality verdict.
-- - HHI v2 (0..10,000, on shares in percent points) stored beside v1: otc_concentration_v2_symbols, read through
--   otc_symbol_concentration_v2; v1 through otc_symbol_concentration_v1. The contract view otc_symbol_concentration
--   serves the version its lineage row names, with its columns and types unchanged.

CREATE TABLE core_calc_versions (
  domain          text NOT NULL,
  calc_name       text NOT NULL,
  major           integer NOT NULL CHECK (major >= 1),
  minor           integer NOT NULL CHECK (minor >= 0),
  stage           text NOT NULL,
  input_tables    text[] NOT NULL,
  output_table    text NOT NULL,
  version_table   text NOT NULL,
  depends_on      text[] NOT NULL,
  weeks_required  integer NOT NULL CHECK (weeks_required >= 1),
  is_breaking     boolean NOT NULL,
  replaces        text,
  description     text NOT NULL,
  assumptions     text[] NOT NULL,
  output_columns  text[] NOT NULL,
  row_key         text[] NOT NULL,
  expected_rows   text,
  synced_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain, calc_name, major)
);

CREATE TABLE core_calc_version_lineage (
  capture_key   integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  calc_name     text NOT NULL,
  calc_version  integer NOT NULL,
  execution_id  uuid NOT NULL,
  batch_id      text NOT NULL,
  captured_at   timestamptz NOT NULL,
  PRIMARY KEY (capture_key, calc_name, calc_version)
);

-- Every version's run on every capture: the current one's lineage and the others'.
CREATE VIEW core_calc_runs AS
  SELECT capture_key, calc_name, calc_version, execution_id, batch_id, captured_at, true AS is_current FROM core_calc_lineage
  UNION ALL
  SELECT capture_key, calc_name, calc_version, execution_id, batch_id, captured_at, false FROM core_calc_version_lineage;

-- The captures each calculation ran on, as the catalog (spine calcs, the dashboard) shows them: every version's
-- lineage and, for a calculation that keeps no lineage row of its own (it writes its own table, or core_quality),
-- every capture whose stage completed (a stage runs its calculations in one transaction), as the graph's current version.
CREATE VIEW core_calc_captures AS
  SELECT r.capture_key, r.calc_name, r.calc_version, r.is_current, r.execution_id, r.batch_id, r.captured_at FROM core_calc_runs r
  UNION ALL
  SELECT c.capture_key, d.calc_name, d.calc_version, true, m.execution_id, m.batch_id, m.updated_at
    FROM core_calc_dependencies d
    JOIN core_manifest m ON m.domain = d.domain AND m.stage = d.stage AND m.status = 'completed'
    JOIN core_captures c ON c.capture_id = m.capture_id
   WHERE NOT EXISTS (SELECT 1 FROM core_calc_lineage g WHERE g.capture_key = c.capture_key AND g.calc_name = d.calc_name);

CREATE TABLE core_calc_row_checks (
  capture_key    integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  calc_name      text NOT NULL,
  calc_version   integer NOT NULL,
  expected_rows  text NOT NULL,
  expected       bigint NOT NULL,
  actual         bigint NOT NULL,
  status         text NOT NULL CHECK (status IN ('PASS', 'FAIL')),
  execution_id   uuid NOT NULL,
  checked_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (capture_key, calc_name, calc_version)
);

CREATE TABLE otc_concentration_v2_symbols (
  capture_key  integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  hhi          numeric(12, 2),
  symbol       text NOT NULL,
  PRIMARY KEY (capture_key, symbol)
);

CREATE VIEW otc_symbol_concentration_v1 AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.venue_count, s.hhi, s.top_mpid, s.top_venue_share_pct,
         r.calc_name, r.calc_version, r.execution_id, r.batch_id, r.captured_at, c.venue_type
    FROM otc_week_symbols s
    JOIN core_calc_runs r ON r.capture_key = s.capture_key AND r.calc_name = 'otc_symbol_concentration' AND r.calc_version = 1
    JOIN core_captures c ON c.capture_key = s.capture_key;

CREATE VIEW otc_symbol_concentration_v2 AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.venue_count, v.hhi, s.top_mpid, s.top_venue_share_pct,
         r.calc_name, r.calc_version, r.execution_id, r.batch_id, r.captured_at, c.venue_type
    FROM otc_concentration_v2_symbols v
    JOIN otc_week_symbols s ON s.capture_key = v.capture_key AND s.symbol = v.symbol
    JOIN core_calc_runs r ON r.capture_key = v.capture_key AND r.calc_name = 'otc_symbol_concentration' AND r.calc_version = 2
    JOIN core_captures c ON c.capture_key = v.capture_key;

-- The contract view: the version core_calc_lineage names for each capture (v1 reads exactly what it read before;
-- v2's 0..10,000 fits the column's numeric(12, 6); a version 3 comes with the migration that stores it and serves it here).
CREATE OR REPLACE VIEW otc_symbol_concentration AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.venue_count,
         (CASE g.calc_version WHEN 1 THEN s.hhi WHEN 2 THEN v.hhi END)::numeric(12, 6) AS hhi, s.top_mpid, s.top_venue_share_pct,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_symbol_concentration'
    JOIN core_captures c ON c.capture_key = s.capture_key
    LEFT JOIN otc_concentration_v2_symbols v ON g.calc_version = 2 AND v.capture_key = s.capture_key AND v.symbol = s.symbol;

-- Down Migration
-- Captures served by v2 go back to v1 (whose rows ingest always writes), with v1's lineage where it ran.
UPDATE core_calc_lineage g SET calc_version = 1, execution_id = o.execution_id, batch_id = o.batch_id, captured_at = o.captured_at
  FROM core_calc_version_lineage o
 WHERE o.capture_key = g.capture_key AND o.calc_name = g.calc_name AND o.calc_version = 1
   AND g.calc_name = 'otc_symbol_concentration' AND g.calc_version <> 1;
UPDATE core_calc_lineage SET calc_version = 1 WHERE calc_name = 'otc_symbol_concentration' AND calc_version <> 1;
UPDATE core_calc_dependencies SET calc_version = 1 WHERE domain = 'otc' AND calc_name = 'otc_symbol_concentration';
CREATE OR REPLACE VIEW otc_symbol_concentration AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.venue_count, s.hhi, s.top_mpid, s.top_venue_share_pct,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_symbol_concentration'
    JOIN core_captures c ON c.capture_key = s.capture_key;
DROP VIEW otc_symbol_concentration_v2, otc_symbol_concentration_v1, core_calc_captures, core_calc_runs;
DROP TABLE otc_concentration_v2_symbols, core_calc_row_checks, core_calc_version_lineage, core_calc_versions;
