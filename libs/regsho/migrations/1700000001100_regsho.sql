-- Up Migration
-- FINRA's Reg SHO daily short-sale volume (issue 25), the second dataset. A partition is one trade date (XNYS trading
-- days) x one reporting facility (market code N, Q, B, D, O); in the core tables the trade date is in week_ending, the
-- market code in tier, and venue_type holds the platform's NO_SECOND_KEY ('-'): the dataset has one key.
-- - regsho_daily_lines: the one stored table, one row per accepted line of a capture (a facility's daily file), written
--   by ingest with COPY. Volumes are numeric as the file wrote them (2026's files carry fractions): exact, no scale forced.
-- - Every figure readers see is a view. A symbol's day sums its facilities, which are separate partitions, so the day,
--   rolling and week figures and the research join are computed when read from each facility's newest loaded capture
--   (regsho_latest_captures) and OTC's latest views: a revision of any facility's file or of an OTC week shows at once.
-- - A capture's rows are published by its lineage row (core_calc_lineage, calc regsho_daily_volume), which ingest
--   writes only when the quality gate lets the file through: a gated or failed revision leaves the one before current.

CREATE TABLE regsho_daily_lines (
  capture_key          integer NOT NULL REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  line_number          integer NOT NULL,
  short_volume         numeric NOT NULL CHECK (short_volume >= 0),
  short_exempt_volume  numeric NOT NULL CHECK (short_exempt_volume >= 0),
  total_volume         numeric NOT NULL CHECK (total_volume >= 0),
  symbol               text NOT NULL,
  -- One day of a facility: its captures, then the primary key per capture.
  PRIMARY KEY (capture_key, symbol)
);
-- One symbol's history: its rows in every capture, without reading the days' other symbols.
CREATE INDEX regsho_daily_lines_symbol_idx ON regsho_daily_lines (symbol, capture_key);

-- The newest capture of each trade date x facility whose ingest published its rows (its lineage row exists).
CREATE VIEW regsho_latest_captures AS
  SELECT DISTINCT ON (c.week_ending, c.tier) c.capture_id, c.capture_key, c.week_ending AS trade_date, c.tier AS market_code, c.revision,
         g.execution_id, g.batch_id, g.captured_at
    FROM core_captures c
    JOIN core_calc_lineage g ON g.capture_key = c.capture_key AND g.calc_name = 'regsho_daily_volume'
   WHERE c.domain = 'regsho'
   ORDER BY c.week_ending, c.tier, c.revision DESC;

-- Every published line of every capture (each revision of a facility's file), with its capture's lineage.
CREATE VIEW regsho_daily_volume AS
  SELECT c.capture_id, c.week_ending AS trade_date, l.symbol, c.tier AS market_code, l.short_volume, l.short_exempt_volume, l.total_volume,
         l.line_number AS source_line_number, c.revision, g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at
    FROM regsho_daily_lines l
    JOIN core_calc_lineage g ON g.capture_key = l.capture_key AND g.calc_name = 'regsho_daily_volume'
    JOIN core_captures c ON c.capture_key = l.capture_key;
CREATE VIEW regsho_daily_volume_latest AS SELECT t.* FROM regsho_daily_volume t JOIN regsho_latest_captures USING (capture_id);

-- regsho_symbol_daily: per trade date and symbol, the facilities' newest captures summed; short_ratio = short / total
-- (NULL when total is 0), short_exempt_share = short-exempt / short (short volume includes short-exempt; NULL when
-- short is 0), both to 6 places. Lineage: the captures summed (with their executions and batches) in market-code
-- order, and captured_at of the newest. A filter on symbol reads regsho_daily_lines_symbol_idx, one on trade_date the
-- day's captures: both are grouping columns, so PostgreSQL applies them below the aggregate.
CREATE VIEW regsho_symbol_daily AS
  SELECT k.trade_date, l.symbol, sum(l.short_volume) AS short_volume, sum(l.short_exempt_volume) AS short_exempt_volume,
         sum(l.total_volume) AS total_volume,
         CASE WHEN sum(l.total_volume) > 0 THEN round(sum(l.short_volume) / sum(l.total_volume), 6) END AS short_ratio,
         CASE WHEN sum(l.short_volume) > 0 THEN round(sum(l.short_exempt_volume) / sum(l.short_volume), 6) END AS short_exempt_share,
         array_agg(k.market_code ORDER BY k.market_code) AS market_codes, array_agg(k.capture_id ORDER BY k.market_code) AS capture_ids,
         array_agg(k.execution_id ORDER BY k.market_code) AS execution_ids, array_agg(k.batch_id ORDER BY k.market_code) AS batch_ids,
         max(k.captured_at) AS captured_at
    FROM regsho_latest_captures k
    JOIN regsho_daily_lines l ON l.capture_key = k.capture_key
   GROUP BY k.trade_date, l.symbol;
-- A day's figures are computed from the newest captures when read: every row is the latest already.
CREATE VIEW regsho_symbol_daily_latest AS SELECT * FROM regsho_symbol_daily;

-- regsho_window_start($1 day): the first trading day (XNYS) of the 20 trading days ending on $1. 40 calendar days hold
-- at least 25 weekdays, of which no more than 3 are closures.
CREATE FUNCTION regsho_window_start(day date) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT d FROM core_trading_days('XNYS', day - 40, day) d ORDER BY d DESC OFFSET 19 LIMIT 1
$$;

-- regsho_symbol_rolling_20d: per trade date and symbol traded that day, the mean of the symbol's daily short ratios
-- over the 20 trading days ending on the trade date (window_start to trade_date); days without a ratio (no volume
-- that day) are absent, not zero: days_in_window counts the days averaged, is_complete says all 20 had one.
-- captured_at: the newest capture the window read. Each day's window is aggregated once for all its symbols, so a
-- filter on trade_date reads that window's captures once; one on symbol reaches the aggregate of each window.
CREATE VIEW regsho_symbol_rolling_20d AS
  SELECT a.trade_date, w.symbol, ws.window_start, w.days_in_window, w.days_in_window = 20 AS is_complete, w.avg_short_ratio, w.captured_at
    FROM (SELECT DISTINCT trade_date FROM regsho_latest_captures) a
    CROSS JOIN LATERAL (SELECT regsho_window_start(a.trade_date) AS window_start) ws
    CROSS JOIN LATERAL (SELECT h.symbol, count(h.short_ratio)::int AS days_in_window, round(avg(h.short_ratio), 6) AS avg_short_ratio,
                               max(h.captured_at) AS captured_at
                          FROM regsho_symbol_daily h
                         WHERE h.trade_date BETWEEN ws.window_start AND a.trade_date
                         GROUP BY h.symbol
                        HAVING bool_or(h.trade_date = a.trade_date)) w;
CREATE VIEW regsho_symbol_rolling_20d_latest AS SELECT * FROM regsho_symbol_rolling_20d;

-- The Friday of a trade date's week: OTC's week_ending (a week whose Friday is a holiday keeps that Friday's date).
CREATE FUNCTION regsho_week_ending(day date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT day + (5 - extract(isodow FROM day)::int)
$$;

-- regsho_symbol_week: per week_ending and symbol, the week's trading days summed over facilities; trading_days counts
-- the days the symbol has a row; ratios as in regsho_symbol_daily. Lineage: every capture summed, and the newest's time.
CREATE VIEW regsho_symbol_week AS
  SELECT regsho_week_ending(k.trade_date) AS week_ending, l.symbol, count(DISTINCT k.trade_date)::int AS trading_days,
         sum(l.short_volume) AS short_volume, sum(l.short_exempt_volume) AS short_exempt_volume, sum(l.total_volume) AS total_volume,
         CASE WHEN sum(l.total_volume) > 0 THEN round(sum(l.short_volume) / sum(l.total_volume), 6) END AS short_ratio,
         CASE WHEN sum(l.short_volume) > 0 THEN round(sum(l.short_exempt_volume) / sum(l.short_volume), 6) END AS short_exempt_share,
         array_agg(k.capture_id ORDER BY k.trade_date, k.market_code) AS capture_ids, max(k.captured_at) AS captured_at
    FROM regsho_latest_captures k
    JOIN regsho_daily_lines l ON l.capture_key = k.capture_key
   GROUP BY 1, l.symbol;
CREATE VIEW regsho_symbol_week_latest AS SELECT * FROM regsho_symbol_week;

-- research_symbol_week: per week_ending and symbol with Reg SHO data, its off-exchange short volume (the facilities'
-- short-sale volume of the week) beside OTC's ATS and non-ATS volume and ATS share (otc_symbol_ats_share_latest,
-- summed over tiers; the share in percent to 4 places as OTC computes it, NULL while either venue type is missing).
-- OTC columns are NULL for a week OTC has not loaded (both venue types aggregated). Lineage: the Reg SHO captures and
-- the OTC captures read, and captured_at of the newest of them.
CREATE VIEW research_symbol_week AS
  SELECT w.week_ending, w.symbol, w.trading_days, w.short_volume, w.short_exempt_volume, w.total_volume, w.short_ratio,
         o.ats_volume, o.non_ats_volume, o.ats_share_pct, o.tiers,
         w.capture_ids AS regsho_capture_ids, o.otc_capture_ids, GREATEST(w.captured_at, o.captured_at) AS captured_at
    FROM regsho_symbol_week w
    LEFT JOIN (SELECT s.week_ending, s.symbol, sum(s.ats_volume) AS ats_volume, sum(s.non_ats_volume) AS non_ats_volume,
                      CASE WHEN bool_and(s.ats_volume IS NOT NULL AND s.non_ats_volume IS NOT NULL) AND sum(s.ats_volume + s.non_ats_volume) > 0
                           THEN round(100 * sum(s.ats_volume) / sum(s.ats_volume + s.non_ats_volume), 4) END AS ats_share_pct,
                      array_agg(s.tier ORDER BY s.tier) AS tiers,
                      array_agg(s.ats_capture_id ORDER BY s.tier) || array_agg(s.non_ats_capture_id ORDER BY s.tier) AS otc_capture_ids,
                      max(s.captured_at) AS captured_at
                 FROM otc_symbol_ats_share_latest s
                GROUP BY s.week_ending, s.symbol) o ON o.week_ending = w.week_ending AND o.symbol = w.symbol;
CREATE VIEW research_symbol_week_latest AS SELECT * FROM research_symbol_week;

-- The calculation graph: ingest stores the lines; the others are views computed when read from them, listed so the
-- catalog shows what each reads and on which captures (core_calc_captures: every capture whose ingest completed).
INSERT INTO core_calc_dependencies (domain, calc_name, calc_version, stage, depends_on) VALUES
  ('regsho', 'regsho_daily_volume',       1, 'ingest', '{}'),
  ('regsho', 'regsho_symbol_daily',       1, 'ingest', '{regsho_daily_volume}'),
  ('regsho', 'regsho_symbol_rolling_20d', 1, 'ingest', '{regsho_symbol_daily}'),
  ('regsho', 'regsho_symbol_week',        1, 'ingest', '{regsho_symbol_daily}'),
  ('regsho', 'research_symbol_week',      1, 'ingest', '{regsho_symbol_week}');

-- The lines are the one stored table: the other views are computed from them and keep what they keep.
INSERT INTO core_retention_policies (domain, table_name, keep) VALUES ('regsho', 'regsho_daily_volume', interval '5 years');

-- FINRA publishes a facility's file by 6 pm New York time on the trade date itself (publication lag 0 trading days);
-- lag warns from the next morning (15 h) and is critical after two days; lookback and revision lookback count
-- trading days (a month, and the week in which FINRA may republish a file). The ORF (O) is not expected: its files
-- cover OTC securities and are not among the facilities FINRA's API is known to serve.
INSERT INTO core_expected_schedules (domain, stage, tier, venue_type, expected_day_of_week, expected_time, tolerance_hours,
    critical_after_hours, publication_lag_weeks, timezone, lookback_weeks, revision_lookback_weeks, source, trading_calendar)
SELECT 'regsho', 'ingest', market_code, '-', NULL, '18:00', 15, 48, 0, 'America/New_York', 20, 5, 'finra', 'XNYS'
  FROM unnest(ARRAY['N', 'Q', 'B', 'D']) AS market_code;

-- Down Migration
-- Removes the dataset: its views and lines, its rows in the graph, policies and schedules, and every core row of its
-- partitions (captures, manifest, rejects, lineage...), so that migrating up again starts from no Reg SHO data rather
-- than from captures whose lines are gone. Its raw objects stay in the bucket; a reload stores them again.
DROP VIEW research_symbol_week_latest, research_symbol_week, regsho_symbol_week_latest, regsho_symbol_week,
  regsho_symbol_rolling_20d_latest, regsho_symbol_rolling_20d, regsho_symbol_daily_latest, regsho_symbol_daily,
  regsho_daily_volume_latest, regsho_daily_volume, regsho_latest_captures;
DROP FUNCTION regsho_week_ending(date), regsho_window_start(date);
DROP TABLE regsho_daily_lines;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['core_expected_schedules', 'core_retention_policies', 'core_calc_dependencies', 'core_calc_versions', 'core_anomalies',
      'core_quality', 'core_rejects', 'core_data_readiness', 'core_manifest', 'core_raw_files'] LOOP
    EXECUTE format('DELETE FROM %I WHERE domain = %L', t, 'regsho');
  END LOOP;
END $$;
-- Lineage, version lineage and row checks go with their captures (ON DELETE CASCADE).
DELETE FROM core_captures WHERE domain = 'regsho';
DELETE FROM core_executions WHERE pipeline = 'regsho_daily';
DELETE FROM core_batches b WHERE domain = 'regsho' AND NOT EXISTS (SELECT 1 FROM core_executions e WHERE e.batch_id = b.batch_id);
