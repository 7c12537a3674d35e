-- Up Migration
-- Research access (issue 24): every capture is known by two clocks, FINRA's and ours, and readers get API tokens.
-- - FINRA's dates of the version a capture holds: initialPublishedDate and lastReportedDate come only from the Query
--   API's answers (recorded at fetch); lastUpdateDate is on every line of a download file and of an answer (the
--   newest of a capture's lines, recorded at ingest). published_on is the date FINRA made the version public: its
--   lastUpdateDate, or where no line carried one, the New York date it was captured on (it cannot have been published
--   later), so an as-of-published answer never sees a version before it existed.
-- - Existing captures get their lastUpdateDate from their stored lines; the API-only dates stay NULL.
ALTER TABLE core_captures
  ADD COLUMN finra_initial_published_date date,
  ADD COLUMN finra_last_update_date date,
  ADD COLUMN finra_last_reported_date date,
  ADD COLUMN published_on date GENERATED ALWAYS AS (COALESCE(finra_last_update_date, (captured_at AT TIME ZONE 'America/New_York')::date)) STORED;

UPDATE core_captures c SET finra_last_update_date = l.last_update
  FROM (SELECT capture_key, max(source_last_update_date) AS last_update FROM otc_week_lines GROUP BY capture_key) l
 WHERE l.capture_key = c.capture_key AND l.last_update IS NOT NULL;

INSERT INTO core_calc_dependencies (domain, calc_name, calc_version, stage, depends_on) VALUES
  ('otc', 'otc_source_dates', 1, 'ingest', '{otc_raw}');

-- Read-only tokens of the research API (/api/v1). Only the SHA-256 of a token is kept: the token is shown once, at
-- creation. last_used_at is written at most once a minute per token, so reading does not mean writing per request.
CREATE TABLE research_api_tokens (
  token_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
  token_sha256  text NOT NULL UNIQUE,
  token_hint    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
-- One live token per name, so `spine tokens revoke NAME` means one token; a revoked name may be issued again.
CREATE UNIQUE INDEX research_api_tokens_live_name_uidx ON research_api_tokens (name) WHERE revoked_at IS NULL;

-- Down Migration
DROP TABLE research_api_tokens;
DELETE FROM core_calc_dependencies WHERE domain = 'otc' AND calc_name = 'otc_source_dates';
ALTER TABLE core_captures DROP COLUMN published_on, DROP COLUMN finra_initial_published_date, DROP COLUMN finra_last_update_date,
  DROP COLUMN finra_last_reported_date;
