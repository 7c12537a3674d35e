-- Up Migration
-- Secondary indexes that every weekly load paid for and no query needed (measured with npm run bench:week and
-- npm run bench:backfill: together about a tenth of the CPU per row of a backfill, growing with history because
-- their inserts land all over the index).
-- - Week x tier queries reach a week through core_captures (unique on domain, week_ending, tier, revision) and then
--   the capture_id that leads every primary key; the week indexes duplicated that path.
-- - Symbol histories are read from otc_research_snapshot (symbol, week_ending), which keeps its index; the rolling
--   calculation no longer looks symbols up one by one in the summary.
-- - A venue's history is otc_venue_share (one row per venue and week); a venue's symbols in one week are a scan of
--   that week's capture through the primary key.
DROP INDEX otc_venue_volume_mpid_idx, otc_symbol_summary_week_idx, otc_symbol_summary_symbol_idx, otc_research_snapshot_week_idx;

-- Down Migration
CREATE INDEX otc_venue_volume_mpid_idx ON otc_venue_volume (mpid, week_ending);
CREATE INDEX otc_symbol_summary_week_idx ON otc_symbol_summary (week_ending, tier, symbol);
CREATE INDEX otc_symbol_summary_symbol_idx ON otc_symbol_summary (symbol, week_ending);
CREATE INDEX otc_research_snapshot_week_idx ON otc_research_snapshot (week_ending, tier, symbol);
