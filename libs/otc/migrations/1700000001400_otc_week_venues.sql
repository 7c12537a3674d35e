-- Up Migration
-- A week's totals per venue and participant name, tallied by ingest from the lines it COPYs into otc_week_lines:
-- otc_venue_share sums these few hundred rows instead of the week's lines. A capture ingested before this table has
-- none, and so has one whose ingest took duplicate keys back out of its COPY (a file out of FINRA's order) or gave the
-- totals up (past 10,000 MPID and name pairs, 16 names of one MPID, or a sum past a bigint); venue share then reads
-- its lines.
CREATE TABLE otc_week_venues (
  capture_key              integer NOT NULL,
  total_volume             bigint NOT NULL,
  total_trades             bigint NOT NULL,
  line_count               integer NOT NULL,
  mpid                     text NOT NULL,
  market_participant_name  text NOT NULL,
  PRIMARY KEY (capture_key, mpid, market_participant_name)
);

-- Down Migration
DROP TABLE otc_week_venues;
