-- Up Migration
-- Rolling windows stored as which captures each window read, not as figures per symbol (issue 21). A week's rolling
-- calculation wrote one otc_rolling_symbols row per symbol of the week (and again per symbol of each later week it
-- recomputed): 0.6-0.8 s for 104,000 OTC symbols, most of it the insert. It now writes one otc_rolling_windows row per
-- window it computes (the captures it read), and otc_symbol_rolling_6w computes a symbol's figures when read, from the
-- weekly rows of those captures (one index scan of otc_week_symbols a symbol). The window keeps its captures, so the
-- figures stay those of the weeks current when the calculation ran (point in time), as the stored rows did.
-- The rules are those of libs/otc/src/rolling-rules.ts (6 weeks, trend from 4 weeks on, flat within 5%).

CREATE TABLE otc_rolling_windows (
  -- The capture whose window this is (the anchor week), as in every per-capture table.
  capture_key        integer PRIMARY KEY REFERENCES core_captures (capture_key) ON DELETE CASCADE,
  -- The capture read for each week of the window, the anchor week first (the anchor itself), then 1 to 5 weeks
  -- before it; NULL for a week with none. One index scan finds a symbol's rows in all of them.
  week_capture_keys  integer[] NOT NULL CHECK (cardinality(week_capture_keys) = 6 AND week_capture_keys[1] = capture_key)
);

-- The stored windows of the rows already computed: for each week of the window, the newest capture of that week whose
-- symbols were stamped before the anchor's rolling lineage (the captures its calculation read), the anchor itself for
-- its own week.
INSERT INTO otc_rolling_windows (capture_key, week_capture_keys)
SELECT a.capture_key, ARRAY(
         SELECT CASE WHEN b.back = 0 THEN a.capture_key ELSE (
                  SELECT k.capture_key FROM core_captures k
                    JOIN core_calc_lineage g ON g.capture_key = k.capture_key AND g.calc_name = 'otc_symbol_summary' AND g.captured_at <= r.captured_at
                   WHERE k.domain = a.domain AND k.tier = a.tier AND k.venue_type = a.venue_type AND k.week_ending = a.week_ending - 7 * b.back
                   ORDER BY k.revision DESC LIMIT 1) END
           FROM generate_series(0, 5) b (back) ORDER BY b.back)
  FROM core_captures a
  JOIN core_calc_lineage r ON r.capture_key = a.capture_key AND r.calc_name = 'otc_symbol_rolling_6w';

-- A symbol's rolling figures in the window of capture `anchor`: only weeks where it traded count (absent weeks are
-- absent, not zero); the trend compares the means of the 2 oldest and the 2 newest of those weeks, from 4 weeks on
-- and while the older mean is above 0. No row when the capture has no window (its rolling calculation has not run).
-- The weekly volumes in week order come from one slot per week of the window, so no sort is needed.
CREATE FUNCTION otc_rolling_figures(anchor integer, wanted text)
  RETURNS TABLE (weeks_in_window integer, is_complete boolean, mean_volume numeric, min_volume bigint, max_volume bigint,
                 mean_trades numeric, min_trades bigint, max_trades bigint, trend_pct numeric, trend_direction text)
  LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT weeks, weeks = 6, round(mean_volume, 2), min_volume, max_volume, round(mean_trades, 2), min_trades, max_trades, round(trend, 2),
         CASE WHEN trend IS NULL THEN NULL WHEN trend > 5 THEN 'UP' WHEN trend < -5 THEN 'DOWN' ELSE 'FLAT' END
    FROM (SELECT *, CASE WHEN weeks >= 4 AND first2 > 0 THEN (last2 - first2) / first2 * 100 END AS trend
            FROM (SELECT *, (volumes[1]::numeric + volumes[2]) / 2 AS first2, (volumes[weeks - 1]::numeric + volumes[weeks]) / 2 AS last2
                    FROM (SELECT count(*)::int AS weeks,
                                 avg(h.total_volume) AS mean_volume, min(h.total_volume) AS min_volume, max(h.total_volume) AS max_volume,
                                 avg(h.total_trades) AS mean_trades, min(h.total_trades) AS min_trades, max(h.total_trades) AS max_trades,
                                 array_remove(ARRAY[max(h.total_volume) FILTER (WHERE h.capture_key = w.week_capture_keys[6]),
                                                    max(h.total_volume) FILTER (WHERE h.capture_key = w.week_capture_keys[5]),
                                                    max(h.total_volume) FILTER (WHERE h.capture_key = w.week_capture_keys[4]),
                                                    max(h.total_volume) FILTER (WHERE h.capture_key = w.week_capture_keys[3]),
                                                    max(h.total_volume) FILTER (WHERE h.capture_key = w.week_capture_keys[2]),
                                                    max(h.total_volume) FILTER (WHERE h.capture_key = w.week_capture_keys[1])], NULL) AS volumes
                            FROM otc_rolling_windows w
                            JOIN otc_week_symbols h ON h.capture_key = ANY (w.week_capture_keys) AND h.symbol = wanted
                           WHERE w.capture_key = anchor
                          HAVING count(*) > 0) agg) ends) trend
$$;

DROP VIEW otc_research_snapshot_latest, otc_symbol_rolling_6w_latest, otc_research_snapshot, otc_symbol_rolling_6w;
DROP TABLE otc_rolling_symbols;

-- Every symbol of a capture whose rolling calculation ran (the anchor week's symbols, as the stored rows were).
CREATE VIEW otc_symbol_rolling_6w AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, r.weeks_in_window, r.is_complete, r.mean_volume, r.min_volume, r.max_volume,
         r.mean_trades, r.min_trades, r.max_trades, r.trend_pct, r.trend_direction,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_symbol_rolling_6w'
    JOIN core_captures c ON c.capture_key = s.capture_key
    CROSS JOIN LATERAL otc_rolling_figures(s.capture_key, s.symbol) r;

-- As in migration 600, with the rolling figures from the capture's window.
CREATE VIEW otc_research_snapshot AS
  SELECT c.capture_id, c.week_ending, c.tier, s.symbol, s.issue_name, s.total_volume, s.total_trades, s.venue_count, s.avg_trade_size,
         s.top_mpid, s.top_venue_share_pct, s.hhi, s.liquidity_score, r.mean_volume AS rolling_mean_volume,
         r.weeks_in_window AS rolling_weeks_in_window, r.is_complete AS rolling_is_complete, r.trend_pct, r.trend_direction,
         COALESCE(q.worst, 'PASS') AS quality_status,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type, a.ats_share_pct
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_research_snapshot'
    JOIN core_captures c ON c.capture_key = s.capture_key
    LEFT JOIN LATERAL otc_rolling_figures(s.capture_key, s.symbol) r ON true
    LEFT JOIN (SELECT capture_id, CASE max(CASE status WHEN 'FAIL' THEN 2 WHEN 'WARN' THEN 1 ELSE 0 END)
                                   WHEN 2 THEN 'FAIL' WHEN 1 THEN 'WARN' ELSE 'PASS' END AS worst
                 FROM core_quality GROUP BY capture_id) q ON q.capture_id = c.capture_id
    LEFT JOIN LATERAL (SELECT p.pair_key FROM otc_ats_share_pairs p
                        WHERE p.ats_capture_key = s.capture_key OR p.non_ats_capture_key = s.capture_key
                        ORDER BY p.captured_at DESC LIMIT 1) pair ON true
    LEFT JOIN otc_ats_share_symbols a ON a.pair_key = pair.pair_key AND a.symbol = s.symbol;

CREATE VIEW otc_symbol_rolling_6w_latest AS SELECT t.* FROM otc_symbol_rolling_6w t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_research_snapshot_latest AS SELECT t.* FROM otc_research_snapshot t JOIN otc_latest_captures USING (capture_id);

-- Down Migration
-- The figures are stored per symbol again, as computed from the windows.
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
INSERT INTO otc_rolling_symbols (capture_key, weeks_in_window, is_complete, min_volume, max_volume, min_trades, max_trades, mean_volume,
    mean_trades, trend_pct, trend_direction, symbol)
SELECT s.capture_key, r.weeks_in_window, r.is_complete, r.min_volume, r.max_volume, r.min_trades, r.max_trades, r.mean_volume,
       r.mean_trades, r.trend_pct, r.trend_direction, s.symbol
  FROM otc_week_symbols s
  JOIN otc_rolling_windows w ON w.capture_key = s.capture_key
  CROSS JOIN LATERAL otc_rolling_figures(s.capture_key, s.symbol) r;

DROP VIEW otc_research_snapshot_latest, otc_symbol_rolling_6w_latest, otc_research_snapshot, otc_symbol_rolling_6w;
DROP FUNCTION otc_rolling_figures(integer, text);
DROP TABLE otc_rolling_windows;

CREATE VIEW otc_symbol_rolling_6w AS
  SELECT c.capture_id, c.week_ending, c.tier, r.symbol, r.weeks_in_window, r.is_complete, r.mean_volume, r.min_volume, r.max_volume,
         r.mean_trades, r.min_trades, r.max_trades, r.trend_pct, r.trend_direction,
         g.calc_name, g.calc_version, g.execution_id, g.batch_id, g.captured_at, c.venue_type
    FROM otc_rolling_symbols r
    JOIN core_calc_lineage g ON g.capture_key = r.capture_key AND g.calc_name = 'otc_symbol_rolling_6w'
    JOIN core_captures c ON c.capture_key = r.capture_key;

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

CREATE VIEW otc_symbol_rolling_6w_latest AS SELECT t.* FROM otc_symbol_rolling_6w t JOIN otc_latest_captures USING (capture_id);
CREATE VIEW otc_research_snapshot_latest AS SELECT t.* FROM otc_research_snapshot t JOIN otc_latest_captures USING (capture_id);
