-- Up Migration
-- regsho_captures_as_of with an SQL-standard body: PostgreSQL parses it when it is created and records what it reads,
-- as it does a view's, so it keeps working when the core tables' partition columns are renamed (migration 1300) and
-- a drop of what it reads is refused rather than found by the next query. Same result, still inlined into its caller.
CREATE OR REPLACE FUNCTION regsho_captures_as_of(published date) RETURNS SETOF regsho_latest_captures LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT DISTINCT ON (c.week_ending, c.tier) c.capture_id, c.capture_key, c.week_ending AS trade_date, c.tier AS market_code, c.revision,
         g.execution_id, g.batch_id, g.captured_at
    FROM core_captures c
    JOIN core_calc_lineage g ON g.capture_key = c.capture_key AND g.calc_name = 'regsho_daily_volume'
   WHERE c.domain = 'regsho' AND (published IS NULL OR c.published_on <= published)
   ORDER BY c.week_ending, c.tier, c.revision DESC;
END;

-- Down Migration
CREATE OR REPLACE FUNCTION regsho_captures_as_of(published date) RETURNS SETOF regsho_latest_captures LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT DISTINCT ON (c.week_ending, c.tier) c.capture_id, c.capture_key, c.week_ending AS trade_date, c.tier AS market_code, c.revision,
         g.execution_id, g.batch_id, g.captured_at
    FROM core_captures c
    JOIN core_calc_lineage g ON g.capture_key = c.capture_key AND g.calc_name = 'regsho_daily_volume'
   WHERE c.domain = 'regsho' AND (published IS NULL OR c.published_on <= published)
   ORDER BY c.week_ending, c.tier, c.revision DESC
$$;
