-- Up Migration
-- Dashboard sessions are signed cookies; signing out records the session here so the cookie is refused until it
-- would have expired anyway. In PostgreSQL rather than Redis: a Redis restart without persistence must not bring
-- signed-out sessions back.
CREATE TABLE dashboard_revoked_sessions (
  session_id  uuid PRIMARY KEY,
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX dashboard_revoked_sessions_expiry_idx ON dashboard_revoked_sessions (expires_at);

-- Down Migration
DROP TABLE dashboard_revoked_sessions;
