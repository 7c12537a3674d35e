-- Up Migration
-- FINRA OTC weekly transparency tables. Every row carries its lineage (capture_id, execution_id, batch_id,
-- captured_at); derived rows also carry the calculation (calc_name, calc_version) that produced them.
-- Share and trade counts are BIGINT, ratios NUMERIC.
-- Indexing: every table's primary key leads with capture_id, which is how the *_latest views and the stages reach
-- a week x tier (core_captures maps week_ending and tier to captures); symbol histories across weeks use the
-- symbol indexes of the summary and the snapshot. Other week indexes would only slow the bulk loads.

CREATE TABLE otc_raw (
  capture_id                    text NOT NULL,
  week_ending                   date NOT NULL,
  tier                          text NOT NULL,
  line_number                   integer NOT NULL,
  record_hash                   text NOT NULL,
  symbol                        text NOT NULL,
  issue_name                    text NOT NULL,
  market_participant_name       text NOT NULL,
  mpid                          text NOT NULL,
  total_weekly_share_quantity   bigint NOT NULL,
  total_weekly_trade_count      bigint NOT NULL,
  source_last_update_date       date,
  execution_id                  uuid NOT NULL,
  batch_id                      text NOT NULL,
  captured_at                   timestamptz NOT NULL,
  PRIMARY KEY (capture_id, line_number)
);

CREATE TABLE otc_venue_volume (
  capture_id               text NOT NULL,
  week_ending              date NOT NULL,
  tier                     text NOT NULL,
  symbol                   text NOT NULL,
  mpid                     text NOT NULL,
  issue_name               text NOT NULL,
  market_participant_name  text NOT NULL,
  total_volume             bigint NOT NULL,
  total_trades             bigint NOT NULL,
  source_line_number       integer NOT NULL,
  record_hash              text NOT NULL,
  calc_name                text NOT NULL,
  calc_version             integer NOT NULL,
  execution_id             uuid NOT NULL,
  batch_id                 text NOT NULL,
  captured_at              timestamptz NOT NULL,
  PRIMARY KEY (capture_id, symbol, mpid)
);
CREATE INDEX otc_venue_volume_mpid_idx ON otc_venue_volume (mpid, week_ending);

CREATE TABLE otc_symbol_summary (
  capture_id      text NOT NULL,
  week_ending     date NOT NULL,
  tier            text NOT NULL,
  symbol          text NOT NULL,
  issue_name      text NOT NULL,
  total_volume    bigint NOT NULL,
  total_trades    bigint NOT NULL,
  venue_count     integer NOT NULL,
  avg_trade_size  numeric(20, 2) NOT NULL,
  calc_name       text NOT NULL,
  calc_version    integer NOT NULL,
  execution_id    uuid NOT NULL,
  batch_id        text NOT NULL,
  captured_at     timestamptz NOT NULL,
  PRIMARY KEY (capture_id, symbol)
);
CREATE INDEX otc_symbol_summary_week_idx ON otc_symbol_summary (week_ending, tier, symbol);
CREATE INDEX otc_symbol_summary_symbol_idx ON otc_symbol_summary (symbol, week_ending);

CREATE TABLE otc_venue_share (
  capture_id               text NOT NULL,
  week_ending              date NOT NULL,
  tier                     text NOT NULL,
  mpid                     text NOT NULL,
  market_participant_name  text NOT NULL,
  total_volume             bigint NOT NULL,
  total_trades             bigint NOT NULL,
  symbol_count             integer NOT NULL,
  market_share_pct         numeric(9, 4) NOT NULL,
  volume_rank              integer NOT NULL,
  calc_name                text NOT NULL,
  calc_version             integer NOT NULL,
  execution_id             uuid NOT NULL,
  batch_id                 text NOT NULL,
  captured_at              timestamptz NOT NULL,
  PRIMARY KEY (capture_id, mpid)
);

CREATE TABLE otc_symbol_concentration (
  capture_id           text NOT NULL,
  week_ending          date NOT NULL,
  tier                 text NOT NULL,
  symbol               text NOT NULL,
  venue_count          integer NOT NULL,
  hhi                  numeric(12, 6),
  top_mpid             text NOT NULL,
  top_venue_share_pct  numeric(9, 4),
  calc_name            text NOT NULL,
  calc_version         integer NOT NULL,
  execution_id         uuid NOT NULL,
  batch_id             text NOT NULL,
  captured_at          timestamptz NOT NULL,
  PRIMARY KEY (capture_id, symbol)
);

CREATE TABLE otc_liquidity_score (
  capture_id       text NOT NULL,
  week_ending      date NOT NULL,
  tier             text NOT NULL,
  symbol           text NOT NULL,
  avg_trade_size   numeric(20, 2) NOT NULL,
  venue_count      integer NOT NULL,
  liquidity_score  numeric(24, 2) NOT NULL,
  calc_name        text NOT NULL,
  calc_version     integer NOT NULL,
  execution_id     uuid NOT NULL,
  batch_id         text NOT NULL,
  captured_at      timestamptz NOT NULL,
  PRIMARY KEY (capture_id, symbol)
);

CREATE TABLE otc_symbol_rolling_6w (
  capture_id        text NOT NULL,
  week_ending       date NOT NULL,
  tier              text NOT NULL,
  symbol            text NOT NULL,
  weeks_in_window   integer NOT NULL,
  is_complete       boolean NOT NULL,
  mean_volume       numeric(24, 2) NOT NULL,
  min_volume        bigint NOT NULL,
  max_volume        bigint NOT NULL,
  mean_trades       numeric(24, 2) NOT NULL,
  min_trades        bigint NOT NULL,
  max_trades        bigint NOT NULL,
  trend_pct         numeric(14, 2),
  trend_direction   text CHECK (trend_direction IN ('UP', 'DOWN', 'FLAT')),
  calc_name         text NOT NULL,
  calc_version      integer NOT NULL,
  execution_id      uuid NOT NULL,
  batch_id          text NOT NULL,
  captured_at       timestamptz NOT NULL,
  PRIMARY KEY (capture_id, symbol)
);

CREATE TABLE otc_research_snapshot (
  capture_id            text NOT NULL,
  week_ending           date NOT NULL,
  tier                  text NOT NULL,
  symbol                text NOT NULL,
  issue_name            text NOT NULL,
  total_volume          bigint NOT NULL,
  total_trades          bigint NOT NULL,
  venue_count           integer NOT NULL,
  avg_trade_size        numeric(20, 2) NOT NULL,
  top_mpid              text NOT NULL,
  top_venue_share_pct   numeric(9, 4),
  hhi                   numeric(12, 6),
  liquidity_score       numeric(24, 2) NOT NULL,
  rolling_mean_volume   numeric(24, 2),
  rolling_weeks_in_window integer,
  rolling_is_complete   boolean,
  trend_pct             numeric(14, 2),
  trend_direction       text,
  quality_status        text NOT NULL CHECK (quality_status IN ('PASS', 'WARN', 'FAIL')),
  calc_name             text NOT NULL,
  calc_version          integer NOT NULL,
  execution_id          uuid NOT NULL,
  batch_id              text NOT NULL,
  captured_at           timestamptz NOT NULL,
  PRIMARY KEY (capture_id, symbol)
);
CREATE INDEX otc_research_snapshot_week_idx ON otc_research_snapshot (week_ending, tier, symbol);
CREATE INDEX otc_research_snapshot_symbol_idx ON otc_research_snapshot (symbol, week_ending);

-- The newest capture of each (week_ending, tier): what the *_latest views expose.
CREATE VIEW otc_latest_captures AS
  SELECT DISTINCT ON (week_ending, tier) capture_id, week_ending, tier, revision, captured_at
  FROM core_captures
  WHERE domain = 'otc'
  ORDER BY week_ending, tier, revision DESC;

CREATE VIEW otc_raw_latest AS SELECT t.* FROM otc_raw t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_venue_volume_latest AS SELECT t.* FROM otc_venue_volume t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_summary_latest AS SELECT t.* FROM otc_symbol_summary t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_venue_share_latest AS SELECT t.* FROM otc_venue_share t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_concentration_latest AS SELECT t.* FROM otc_symbol_concentration t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_liquidity_score_latest AS SELECT t.* FROM otc_liquidity_score t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_rolling_6w_latest AS SELECT t.* FROM otc_symbol_rolling_6w t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_research_snapshot_latest AS SELECT t.* FROM otc_research_snapshot t JOIN otc_latest_captures USING (capture_id);

-- The calculation graph of the OTC pipeline; the stage order is derived from it.
INSERT INTO core_calc_dependencies (domain, calc_name, calc_version, stage, depends_on) VALUES
  ('otc', 'otc_raw',                  1, 'ingest',    '{}'),
  ('otc', 'otc_venue_volume',         1, 'normalize', '{otc_raw}'),
  ('otc', 'otc_symbol_summary',       1, 'aggregate', '{otc_venue_volume}'),
  ('otc', 'otc_venue_share',          1, 'aggregate', '{otc_venue_volume}'),
  ('otc', 'otc_symbol_concentration', 1, 'aggregate', '{otc_venue_volume,otc_symbol_summary}'),
  ('otc', 'otc_liquidity_score',      1, 'aggregate', '{otc_symbol_summary}'),
  ('otc', 'otc_quality',              1, 'aggregate', '{otc_venue_share,otc_symbol_summary}'),
  ('otc', 'otc_quality_week_over_week', 1, 'rolling', '{otc_symbol_summary,otc_venue_share,otc_quality}'),
  ('otc', 'otc_symbol_rolling_6w',    1, 'rolling',   '{otc_symbol_summary}'),
  ('otc', 'otc_research_snapshot',    1, 'snapshot',  '{otc_symbol_summary,otc_symbol_concentration,otc_liquidity_score,otc_symbol_rolling_6w,otc_quality,otc_quality_week_over_week}');

-- Down Migration
DELETE FROM core_calc_dependencies WHERE domain = 'otc';
DROP VIEW otc_research_snapshot_latest, otc_symbol_rolling_6w_latest, otc_liquidity_score_latest,
  otc_symbol_concentration_latest, otc_venue_share_latest, otc_symbol_summary_latest, otc_venue_volume_latest,
  otc_raw_latest, otc_latest_captures;
DROP TABLE otc_research_snapshot, otc_symbol_rolling_6w, otc_liquidity_score, otc_symbol_concentration,
  otc_venue_share, otc_symbol_summary, otc_venue_volume, otc_raw;
