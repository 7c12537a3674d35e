-- Up Migration
-- Reg SHO as FINRA had published it on a past date (the research API's as_of_published): per trade date x facility,
-- the newest published capture (its ingest wrote its lineage row) among those FINRA had published by that date
-- (core_captures.published_on: a source's lastUpdateDate where it gives one, else the New York date the file was
-- captured on, which is what Reg SHO's captures have: its sources give no date of FINRA's).
-- regsho_latest_captures is this with no date; the readers' views keep reading that view. A function rather than a
-- view because the date is a parameter: a single SELECT in a STABLE SQL function, so PostgreSQL inlines it into the
-- query that calls it and a filter on trade_date or a join to a symbol's lines applies as it would to the view.
CREATE FUNCTION regsho_captures_as_of(published date) RETURNS SETOF regsho_latest_captures LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT DISTINCT ON (c.week_ending, c.tier) c.capture_id, c.capture_key, c.week_ending AS trade_date, c.tier AS market_code, c.revision,
         g.execution_id, g.batch_id, g.captured_at
    FROM core_captures c
    JOIN core_calc_lineage g ON g.capture_key = c.capture_key AND g.calc_name = 'regsho_daily_volume'
   WHERE c.domain = 'regsho' AND (published IS NULL OR c.published_on <= published)
   ORDER BY c.week_ending, c.tier, c.revision DESC
$$;

-- Down Migration
DROP FUNCTION regsho_captures_as_of(date);
