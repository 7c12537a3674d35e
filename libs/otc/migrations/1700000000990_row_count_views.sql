-- Up Migration
-- The rows of the two views that compute their rolling figures when read (migration 960), without the figures: the
-- expected-row check of each run (migration 980) counts these, which computes nothing (counting the views themselves
-- evaluated every symbol's window, longer than the calculations).
CREATE VIEW otc_symbol_rolling_6w_rows AS
  SELECT c.capture_id, s.symbol
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_symbol_rolling_6w'
    JOIN core_captures c ON c.capture_key = s.capture_key;
CREATE VIEW otc_research_snapshot_rows AS
  SELECT c.capture_id, s.symbol
    FROM otc_week_symbols s
    JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_research_snapshot'
    JOIN core_captures c ON c.capture_key = s.capture_key;

-- Down Migration
DROP VIEW otc_research_snapshot_rows, otc_symbol_rolling_6w_rows;
