-- Up Migration
-- A leaner store for the stage chain (issue 13). What readers see stays: every table name of DOMAIN.md and the
-- README keeps its columns, its _latest view and its lineage; what is stored changes.
-- - otc_raw and otc_venue_volume held the same rows twice: both are now views of otc_week_lines, one row per accepted
--   line, written once by ingest (the source's bytes are in S3 already).
-- - The summary, concentration and liquidity score come from one pass over a week's lines: stored once per symbol in
--   otc_week_symbols, with the three tables as views. The research snapshot is a join of results that are stored
--   anyway (the week's symbols, its rolling window, its quality verdict, its ATS share): a view as well.
-- - The ATS share keeps one row per symbol and pair of captures in otc_ats_share_symbols, with the pair (its two
--   captures, the capture that computed it, and that computation's lineage) once in otc_ats_share_pairs.
-- - Lineage shared by every row of a capture (execution, batch, captured_at, calculation and version) lives in one
--   core_calc_lineage row per capture and calculation; rows carry a 4-byte capture_key instead of the 38-character
--   capture_id, in the row and in every index entry.
-- A view's rows appear once its calculation has stamped its lineage row: a capture whose normalize has not run has
-- otc_raw rows and no otc_venue_volume rows, as before.

ALTER TABLE core_captures ADD COLUMN capture_key integer GENERATED ALWAYS AS IDENTITY;
ALTER TABLE core_captures ADD CONSTRAINT core_captures_capture_key_key UNIQUE (capture_key);

CREATE TABLE core_calc_lineage (
  capture_key   integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  calc_name     text NOT NULL,
  calc_version  integer NOT NULL,
  execution_id  uuid NOT NULL,
  batch_id      text NOT NULL,
  captured_at   timestamptz NOT NULL,
  PRIMARY KEY (capture_key, calc_name)
);

-- Fixed-width columns first, so rows carry no alignment padding. The record_hash readers see (a source row's dedup
-- key) is computed when read, from the normalized fields; it is no longer stored, nor hashed at load.
CREATE TABLE otc_week_lines (
  capture_key              integer NOT NULL,
  line_number              integer NOT NULL,
  total_volume             bigint NOT NULL,
  total_trades             bigint NOT NULL,
  firm_crd_number          bigint,
  source_last_update_date  date,
  symbol                   text NOT NULL,
  mpid                     text NOT NULL,
  issue_name               text NOT NULL,
  market_participant_name  text NOT NULL,
  PRIMARY KEY (capture_key, line_number)
);

CREATE TABLE otc_week_symbols (
  capture_key          integer NOT NULL,
  venue_count          integer NOT NULL,
  total_volume         bigint NOT NULL,
  total_trades         bigint NOT NULL,
  avg_trade_size       numeric(20, 2) NOT NULL,
  liquidity_score      numeric(24, 2) NOT NULL,
  hhi                  numeric(12, 6),
  top_venue_share_pct  numeric(9, 4),
  symbol               text NOT NULL,
  issue_name           text NOT NULL,
  top_mpid             text NOT NULL,
  PRIMARY KEY (capture_key, symbol)
);
-- No symbol index: it cost every load a third of this table's write (bench:week --shape otc), and a symbol's
-- history across weeks reads the captures it names (core_captures, then the primary key per capture).

CREATE TABLE otc_rolling_symbols (
  capture_key      integer NOT NULL,
  weeks_in_window  integer NOT NULL,
  is_complete      boolean NOT NULL,
  min_volume       bigint NOT NULL,
  max_volume       bigint NOT NULL,
  min_trades       bigint NOT NULL,
  max_trades       bigint NOT NULL,
  mean_volume      numeric(24, 2) NOT NULL,
  mean_trades      numeric(24, 2) NOT NULL,
  trend_pct        numeric(14, 2),
  trend_direction  text CHECK (trend_direction IN ('UP', 'DOWN', 'FLAT')),
  symbol           text NOT NULL,
  PRIMARY KEY (capture_key, symbol)
);

CREATE TABLE otc_ats_share_pairs (
  pair_key             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ats_capture_key      integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  non_ats_capture_key  integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  capture_key          integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  calc_name            text NOT NULL,
  calc_version         integer NOT NULL,
  execution_id         uuid NOT NULL,
  batch_id             text NOT NULL,
  captured_at          timestamptz NOT NULL,
  UNIQUE (ats_capture_key, non_ats_capture_key)
);
CREATE INDEX otc_ats_share_pairs_non_ats_idx ON otc_ats_share_pairs (non_ats_capture_key);

CREATE TABLE otc_ats_share_symbols (
  pair_key        integer NOT NULL,
  ats_volume      bigint,
  non_ats_volume  bigint,
  ats_share_pct   numeric(9, 4),
  symbol          text NOT NULL,
  PRIMARY KEY (pair_key, symbol)
);

-- What is loaded already moves over, with one lineage row per capture and calculation (all rows of a capture were
-- written by one execution: every calculation replaces a capture's rows as a whole).
INSERT INTO core_calc_lineage (capture_key, calc_name, calc_version, execution_id, batch_id, captured_at)
SELECT DISTINCT ON (c.capture_key) c.capture_key, 'otc_raw', d.calc_version, t.execution_id, t.batch_id, t.captured_at
  FROM otc_raw t JOIN core_captures c USING (capture_id)
  JOIN core_calc_dependencies d ON d.domain = 'otc' AND d.calc_name = 'otc_raw'
 ORDER BY c.capture_key, t.captured_at DESC;
INSERT INTO core_calc_lineage (capture_key, calc_name, calc_version, execution_id, batch_id, captured_at)
SELECT DISTINCT ON (c.capture_key, t.calc_name) c.capture_key, t.calc_name, t.calc_version, t.execution_id, t.batch_id, t.captured_at
  FROM (SELECT capture_id, calc_name, calc_version, execution_id, batch_id, captured_at FROM otc_venue_volume
        UNION ALL SELECT capture_id, calc_name, calc_version, execution_id, batch_id, captured_at FROM otc_symbol_summary
        UNION ALL SELECT capture_id, calc_name, calc_version, execution_id, batch_id, captured_at FROM otc_symbol_concentration
        UNION ALL SELECT capture_id, calc_name, calc_version, execution_id, batch_id, captured_at FROM otc_liquidity_score
        UNION ALL SELECT capture_id, calc_name, calc_version, execution_id, batch_id, captured_at FROM otc_symbol_rolling_6w
        UNION ALL SELECT capture_id, calc_name, calc_version, execution_id, batch_id, captured_at FROM otc_research_snapshot) t
  JOIN core_captures c USING (capture_id)
 ORDER BY c.capture_key, t.calc_name, t.captured_at DESC;

INSERT INTO otc_week_lines (capture_key, line_number, total_volume, total_trades, firm_crd_number, source_last_update_date, symbol, mpid,
    issue_name, market_participant_name)
SELECT c.capture_key, r.line_number, r.total_weekly_share_quantity, r.total_weekly_trade_count, r.firm_crd_number, r.source_last_update_date,
       r.symbol, r.mpid, r.issue_name, r.market_participant_name
  FROM otc_raw r JOIN core_captures c USING (capture_id);

INSERT INTO otc_week_symbols (capture_key, venue_count, total_volume, total_trades, avg_trade_size, liquidity_score, hhi,
    top_venue_share_pct, symbol, issue_name, top_mpid)
SELECT c.capture_key, s.venue_count, s.total_volume, s.total_trades, s.avg_trade_size, l.liquidity_score, k.hhi, k.top_venue_share_pct,
       s.symbol, s.issue_name, k.top_mpid
  FROM otc_symbol_summary s JOIN core_captures c USING (capture_id)
  JOIN otc_symbol_concentration k ON k.capture_id = s.capture_id AND k.symbol = s.symbol
  JOIN otc_liquidity_score l ON l.capture_id = s.capture_id AND l.symbol = s.symbol;

INSERT INTO otc_rolling_symbols (capture_key, weeks_in_window, is_complete, min_volume, max_volume, min_trades, max_trades, mean_volume,
    mean_trades, trend_pct, trend_direction, symbol)
SELECT c.capture_key, r.weeks_in_window, r.is_complete, r.min_volume, r.max_volume, r.min_trades, r.max_trades, r.mean_volume,
       r.mean_trades, r.trend_pct, r.trend_direction, r.symbol
  FROM otc_symbol_rolling_6w r JOIN core_captures c USING (capture_id);

INSERT INTO otc_ats_share_pairs (ats_capture_key, non_ats_capture_key, capture_key, calc_name, calc_version, execution_id, batch_id, captured_at)
SELECT DISTINCT ON (t.ats_capture_id, t.non_ats_capture_id) a.capture_key, n.capture_key, c.capture_key, t.calc_name, t.calc_version,
       t.execution_id, t.batch_id, t.captured_at
  FROM otc_symbol_ats_share t
  JOIN core_captures a ON a.capture_id = t.ats_capture_id
  JOIN core_captures n ON n.capture_id = t.non_ats_capture_id
  JOIN core_captures c ON c.capture_id = t.capture_id
 ORDER BY t.ats_capture_id, t.non_ats_capture_id, t.captured_at DESC;
INSERT INTO otc_ats_share_symbols (pair_key, ats_volume, non_ats_volume, ats_share_pct, symbol)
SELECT p.pair_key, t.ats_volume, t.non_ats_volume, t.ats_share_pct, t.symbol
  FROM otc_symbol_ats_share t
  JOIN core_captures a ON a.capture_id = t.ats_capture_id
  JOIN core_captures n ON n.capture_id = t.non_ats_capture_id
  JOIN otc_ats_share_pairs p ON p.ats_capture_key = a.capture_key AND p.non_ats_capture_key = n.capture_key;

DROP VIEW otc_raw_latest, otc_venue_volume_latest, otc_symbol_summary_latest, otc_symbol_concentration_latest,
  otc_liquidity_score_latest, otc_symbol_rolling_6w_latest, otc_research_snapshot_latest, otc_symbol_ats_share_latest;
DROP TABLE otc_raw, otc_venue_volume, otc_symbol_summary, otc_symbol_concentration, otc_liquidity_score, otc_symbol_rolling_6w,
  otc_research_snapshot, otc_symbol_ats_share;

CREATE VIEW otc_symbol_ats_share AS
  SELECT c.capture_id, c.week_ending, c.tier, x.symbol, a.capture_id AS ats_capture_id, n.capture_id AS non_ats_capture_id,
         x.ats_volume, x.non_ats_volume, x.ats_share_pct, p.calc_name, p.calc_version, p.execution_id, p.batch_id, p.captured_at
    FROM otc_ats_share_symbols x
    JOIN otc_ats_share_pairs p USING (pair_key)
    JOIN core_captures c ON c.capture_key = p.capture_key
    JOIN core_captures a ON a.capture_key = p.ats_capture_key
    JOIN core_captures n ON n.capture_key = p.non_ats_capture_key;

-- record_hash: SHA-256 of symbol, MPID, share quantity, trade count, issue name and participant name, joined by the
-- unit separator (U+001F), in hex. Migration 500 stored the SHA-1 of the same fields as the source wrote them.
CREATE FUNCTION otc_record_hash(symbol text, mpid text, shares bigint, trades bigint, issue_name text, participant text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT encode(sha256(convert_to(concat_ws(chr(31), symbol, mpid, shares::text, trades::text, issue_name, participant), 'UTF8')), 'hex') $$;

CREATE VIEW otc_raw AS
  SELECT c.capture_id, c.week_ending, c.tier, l.line_number,
         otc_record_hash(l.symbol, l.mpid, l.total_volume, l.total_trades, l.issue_name, l.market_participant_name) AS record_hash, l.symbol, l.issue_name,
         l.market_participant_name, l.mpid, l.total_volume AS total_weekly_share_quantity, l.total_trades AS total_weekly_trade_count,
         l.source_last_update_date, g.execution_id, g.batch_id, g.captured_at, c.venue_type, l.firm_crd_number
    FROM otc_week_lines l
    JOIN core_calc_lineage g ON g.capture_key = l.capture_key AND g.calc_name = 'otc_raw'
    JOIN core_captures c ON c.capture_key = l.capture_key;

CREATE VIEW otc_venue_volume AS
  SELECT c.capture_id, c.week_ending, c.tier, l.symbol, l.mpid, l.issue_name, l.market_participant_name, l.total_volume, l.total_trades,
         l.line_number AS source_line_number,
         otc_record_hash(l.symbol, l.mpid, l.total_volume, l.total_trades, l.issue_name, l.market_participant_name) AS record_hash, g.calc_name, g.calc_version, g.execution_id,
         g.batch_id, g.captured_at, c.venue_type, l.firm_crd_number
    FROM otc_week_lines l
    JOIN core_calc_lineage g ON g.capture_key = l.capture_key AND g.calc_name = 'otc_venue_volume'
    JOIN core_captures c ON c.capture_key = l.capture_key;

CREATE VIEW otc_symbol_summary AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.issue_name, s.total_volume, s.total_trades, s.venue_count, s.avg_trade_size,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_symbol_summary'
    JOIN core_captures c ON c.capture_key = s.capture_key;

CREATE VIEW otc_symbol_concentration AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.venue_count, s.hhi, s.top_mpid, s.top_venue_share_pct,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_symbol_concentration'
    JOIN core_captures c ON c.capture_key = s.capture_key;

CREATE VIEW otc_liquidity_score AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.avg_trade_size, s.venue_count, s.liquidity_score,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_liquidity_score'
    JOIN core_captures c ON c.capture_key = s.capture_key;

CREATE VIEW otc_symbol_rolling_6w AS
  SELECT c.capture_id, c.week_ending, c.tier, r.symbol, r.weeks_in_window, r.is_complete, r.mean_volume, r.min_volume, r.max_volume,
         r.mean_trades, r.min_trades, r.max_trades, r.trend_pct, r.trend_direction,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type
    FROM otc_rolling_symbols r
    JOIN core_calc_lineage g ON g.capture_key = r.capture_key AND g.calc_name = 'otc_symbol_rolling_6w'
    JOIN core_captures c ON c.capture_key = r.capture_key;

-- The ATS share a capture's symbols take part in: from the newest computed pair of captures that includes it (one
-- lookup per capture), NULL while the other venue type is not aggregated. The quality verdict is the worst of the
-- capture's checks.
CREATE VIEW otc_research_snapshot AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.issue_name, s.total_volume, s.total_trades, s.venue_count, s.avg_trade_size,
         s.top_mpid, s.top_venue_share_pct, s.hhi, s.liquidity_score, r.mean_volume AS rolling_mean_volume,
         r.weeks_in_window AS rolling_weeks_in_window, r.is_complete AS rolling_is_complete, r.trend_pct, r.trend_direction,
         COALESCE(q.worst, 'PASS') AS quality_status,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type, a.ats_share_pct
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_research_snapshot'
    JOIN core_captures c ON c.capture_key = s.capture_key
    LEFT JOIN otc_rolling_symbols r ON r.capture_key = s.capture_key AND r.symbol = s.symbol
    LEFT JOIN (SELECT capture_id, CASE max(CASE status WHEN 'FAIL' THEN 2 WHEN 'WARN' THEN 1 ELSE 0 END)
                                   WHEN 2 THEN 'FAIL' WHEN 1 THEN 'WARN' ELSE 'PASS' END AS worst
                 FROM core_quality GROUP BY capture_id) q ON q.capture_id = c.capture_id
    LEFT JOIN LATERAL (SELECT p.pair_key FROM otc_ats_share_pairs p
                        WHERE p.ats_capture_key = s.capture_key OR p.non_ats_capture_key = s.capture_key
                        ORDER BY p.captured_at DESC LIMIT 1) pair ON true
    LEFT JOIN otc_ats_share_symbols a ON a.pair_key = pair.pair_key AND a.symbol = s.symbol;

CREATE VIEW otc_raw_latest AS SELECT t.* FROM otc_raw t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_venue_volume_latest AS SELECT t.* FROM otc_venue_volume t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_summary_latest AS SELECT t.* FROM otc_symbol_summary t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_concentration_latest AS SELECT t.* FROM otc_symbol_concentration t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_liquidity_score_latest AS SELECT t.* FROM otc_liquidity_score t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_rolling_6w_latest AS SELECT t.* FROM otc_symbol_rolling_6w t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_research_snapshot_latest AS SELECT t.* FROM otc_research_snapshot t JOIN otc_latest_captures USING (capture_id);
-- The share computed from the newest capture of both venue types.
CREATE VIEW otc_symbol_ats_share_latest AS
  SELECT t.* FROM otc_symbol_ats_share t
    JOIN otc_latest_captures a ON a.capture_id = t.ats_capture_id
    JOIN otc_latest_captures n ON n.capture_id = t.non_ats_capture_id;

-- Down Migration
-- The views' rows become tables again (NOT NULL constraints beyond the primary keys are not restored).
CREATE TABLE otc_raw_restored AS SELECT * FROM otc_raw;
CREATE TABLE otc_venue_volume_restored AS SELECT * FROM otc_venue_volume;
CREATE TABLE otc_symbol_summary_restored AS SELECT * FROM otc_symbol_summary;
CREATE TABLE otc_symbol_concentration_restored AS SELECT * FROM otc_symbol_concentration;
CREATE TABLE otc_liquidity_score_restored AS SELECT * FROM otc_liquidity_score;
CREATE TABLE otc_symbol_rolling_6w_restored AS SELECT * FROM otc_symbol_rolling_6w;
CREATE TABLE otc_research_snapshot_restored AS SELECT * FROM otc_research_snapshot;
CREATE TABLE otc_symbol_ats_share_restored AS SELECT * FROM otc_symbol_ats_share;
DROP VIEW otc_raw_latest, otc_venue_volume_latest, otc_symbol_summary_latest, otc_symbol_concentration_latest,
  otc_liquidity_score_latest, otc_symbol_rolling_6w_latest, otc_research_snapshot_latest, otc_symbol_ats_share_latest;
DROP VIEW otc_raw, otc_venue_volume, otc_symbol_summary, otc_symbol_concentration, otc_liquidity_score, otc_symbol_rolling_6w,
  otc_research_snapshot, otc_symbol_ats_share;
DROP TABLE otc_ats_share_symbols, otc_ats_share_pairs, otc_rolling_symbols, otc_week_symbols, otc_week_lines, core_calc_lineage;
DROP FUNCTION otc_record_hash;
ALTER TABLE otc_symbol_ats_share_restored RENAME TO otc_symbol_ats_share;
ALTER TABLE otc_symbol_ats_share ADD PRIMARY KEY (ats_capture_id, non_ats_capture_id, symbol);
CREATE INDEX otc_symbol_ats_share_non_ats_idx ON otc_symbol_ats_share (non_ats_capture_id);
CREATE VIEW otc_symbol_ats_share_latest AS
  SELECT t.* FROM otc_symbol_ats_share t
    JOIN otc_latest_captures a ON a.capture_id = t.ats_capture_id
    JOIN otc_latest_captures n ON n.capture_id = t.non_ats_capture_id;
ALTER TABLE otc_raw_restored RENAME TO otc_raw;
ALTER TABLE otc_raw ADD PRIMARY KEY (capture_id, line_number);
ALTER TABLE otc_venue_volume_restored RENAME TO otc_venue_volume;
ALTER TABLE otc_venue_volume ADD PRIMARY KEY (capture_id, symbol, mpid);
ALTER TABLE otc_symbol_summary_restored RENAME TO otc_symbol_summary;
ALTER TABLE otc_symbol_summary ADD PRIMARY KEY (capture_id, symbol);
ALTER TABLE otc_symbol_concentration_restored RENAME TO otc_symbol_concentration;
ALTER TABLE otc_symbol_concentration ADD PRIMARY KEY (capture_id, symbol);
ALTER TABLE otc_liquidity_score_restored RENAME TO otc_liquidity_score;
ALTER TABLE otc_liquidity_score ADD PRIMARY KEY (capture_id, symbol);
ALTER TABLE otc_symbol_rolling_6w_restored RENAME TO otc_symbol_rolling_6w;
ALTER TABLE otc_symbol_rolling_6w ADD PRIMARY KEY (capture_id, symbol);
ALTER TABLE otc_research_snapshot_restored RENAME TO otc_research_snapshot;
ALTER TABLE otc_research_snapshot ADD PRIMARY KEY (capture_id, symbol);
CREATE INDEX otc_research_snapshot_symbol_idx ON otc_research_snapshot (symbol, week_ending);
CREATE VIEW otc_raw_latest AS SELECT t.* FROM otc_raw t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_venue_volume_latest AS SELECT t.* FROM otc_venue_volume t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_summary_latest AS SELECT t.* FROM otc_symbol_summary t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_concentration_latest AS SELECT t.* FROM otc_symbol_concentration t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_liquidity_score_latest AS SELECT t.* FROM otc_liquidity_score t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_symbol_rolling_6w_latest AS SELECT t.* FROM otc_symbol_rolling_6w t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_research_snapshot_latest AS SELECT t.* FROM otc_research_snapshot t JOIN otc_latest_captures USING (capture_id);
ALTER TABLE core_captures DROP COLUMN capture_key;
