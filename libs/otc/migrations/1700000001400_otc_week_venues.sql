-- Up Migration
-- A week's totals per venue and participant name, written by ingest from the lines it stores (otc_week_lines, after
-- duplicate keys were taken out): otc_venue_share sums these few hundred rows instead of the week's lines. A capture
-- ingested before this table, or whose ingest could not keep the totals, has none; venue share then reads its lines.
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
