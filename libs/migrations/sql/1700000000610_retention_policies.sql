-- Up Migration
-- How long each table a reader sees keeps a week's rows: `spine retention` retires captures whose week ended more
-- than `keep` ago; NULL keeps them for good. Seed: raw 2 years, normalized 5, everything derived kept.
CREATE TABLE core_retention_policies (
  domain      text NOT NULL,
  table_name  text NOT NULL,
  keep        interval CHECK (keep IS NULL OR keep >= interval '0'),
  PRIMARY KEY (domain, table_name)
);
INSERT INTO core_retention_policies (domain, table_name, keep) VALUES
  ('otc', 'otc_raw', interval '2 years'),
  ('otc', 'otc_venue_volume', interval '5 years'),
  ('otc', 'otc_symbol_summary', NULL),
  ('otc', 'otc_venue_share', NULL),
  ('otc', 'otc_symbol_concentration', NULL),
  ('otc', 'otc_liquidity_score', NULL),
  ('otc', 'otc_symbol_rolling_6w', NULL),
  ('otc', 'otc_research_snapshot', NULL),
  ('otc', 'otc_symbol_ats_share', NULL);

-- Down Migration
DROP TABLE core_retention_policies;
