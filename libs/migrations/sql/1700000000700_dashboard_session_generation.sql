-- Up Migration
-- `spine dashboard revoke-sessions` ends every dashboard session at once by moving the generation on: a session
-- carries the generation it was issued in and is refused once that is no longer the current one. A counter rather
-- than a cut-off time, so the clocks of the dashboard and of whoever revokes need not agree.
CREATE TABLE dashboard_session_generation (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation  integer NOT NULL,
  revoked_at  timestamptz
);
INSERT INTO dashboard_session_generation (generation) VALUES (0);

-- Down Migration
DROP TABLE dashboard_session_generation;
