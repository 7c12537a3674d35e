-- Up Migration
-- Platform tables: batches, executions (lineage), captures, manifest, rejects, quality, anomalies, readiness,
-- schedules, calculation graph and the raw-file registry. Domain-neutral: every row names its domain.

CREATE TABLE core_batches (
  batch_id      text PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('manual', 'backfill', 'scheduled', 'demo')),
  domain        text NOT NULL,
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed', 'partial')),
  params        jsonb NOT NULL DEFAULT '{}',
  requested_by  text,
  weeks_total   integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX core_batches_created_idx ON core_batches (created_at DESC);

CREATE TABLE core_executions (
  execution_id         uuid PRIMARY KEY,
  parent_execution_id  uuid REFERENCES core_executions (execution_id),
  batch_id             text NOT NULL REFERENCES core_batches (batch_id),
  correlation_id       text NOT NULL,
  pipeline             text NOT NULL,
  stage                text NOT NULL,
  week_ending          date,
  tier                 text,
  capture_id           text,
  status               text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'skipped', 'gated')),
  attempt              integer NOT NULL DEFAULT 1,
  job_id               text,
  worker               text,
  started_at           timestamptz NOT NULL DEFAULT now(),
  finished_at          timestamptz,
  error                text,
  metrics              jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX core_executions_batch_idx ON core_executions (batch_id);
CREATE INDEX core_executions_parent_idx ON core_executions (parent_execution_id);
CREATE INDEX core_executions_week_idx ON core_executions (pipeline, week_ending, tier, stage);

-- One capture = one version (by content hash) of one week's source for one partition.
CREATE TABLE core_captures (
  capture_id     text PRIMARY KEY,
  domain         text NOT NULL,
  week_ending    date NOT NULL,
  tier           text NOT NULL,
  source_sha256  text NOT NULL,
  source_uri     text NOT NULL,
  revision       integer NOT NULL,
  execution_id   uuid NOT NULL REFERENCES core_executions (execution_id),
  batch_id       text NOT NULL REFERENCES core_batches (batch_id),
  captured_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (domain, week_ending, tier, source_sha256),
  UNIQUE (domain, week_ending, tier, revision)
);

CREATE TABLE core_manifest (
  domain        text NOT NULL,
  week_ending   date NOT NULL,
  tier          text NOT NULL,
  capture_id    text NOT NULL REFERENCES core_captures (capture_id),
  stage         text NOT NULL,
  status        text NOT NULL CHECK (status IN ('completed', 'failed', 'gated')),
  row_count     bigint NOT NULL DEFAULT 0,
  execution_id  uuid NOT NULL REFERENCES core_executions (execution_id),
  batch_id      text NOT NULL REFERENCES core_batches (batch_id),
  metrics       jsonb NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain, week_ending, tier, capture_id, stage)
);
CREATE INDEX core_manifest_stage_idx ON core_manifest (domain, stage, status, week_ending);

CREATE TABLE core_rejects (
  reject_id      bigserial PRIMARY KEY,
  domain         text NOT NULL,
  week_ending    date NOT NULL,
  tier           text NOT NULL,
  capture_id     text NOT NULL,
  stage          text NOT NULL,
  line_number    integer NOT NULL,
  reason_code    text NOT NULL CHECK (reason_code IN ('PARSE_ERROR', 'INVALID_TIER', 'INVALID_SYMBOL', 'INVALID_MPID',
                   'NEGATIVE_VOLUME', 'NEGATIVE_TRADES', 'DUPLICATE_KEY', 'WEEK_MISMATCH')),
  reason_detail  text NOT NULL,
  raw_line       text NOT NULL,
  execution_id   uuid NOT NULL,
  batch_id       text NOT NULL,
  captured_at    timestamptz NOT NULL
);
CREATE INDEX core_rejects_capture_idx ON core_rejects (capture_id, reason_code);
CREATE INDEX core_rejects_week_idx ON core_rejects (domain, week_ending, tier);

CREATE TABLE core_quality (
  domain        text NOT NULL,
  week_ending   date NOT NULL,
  tier          text NOT NULL,
  capture_id    text NOT NULL,
  check_name    text NOT NULL,
  status        text NOT NULL CHECK (status IN ('PASS', 'WARN', 'FAIL')),
  observed      numeric,
  threshold     numeric,
  message       text NOT NULL,
  execution_id  uuid NOT NULL,
  batch_id      text NOT NULL,
  checked_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (capture_id, check_name)
);
CREATE INDEX core_quality_week_idx ON core_quality (domain, week_ending, tier);

CREATE TABLE core_anomalies (
  anomaly_id    bigserial PRIMARY KEY,
  domain        text NOT NULL,
  category      text NOT NULL CHECK (category IN ('QUALITY_GATE', 'QUALITY', 'FRESHNESS', 'PIPELINE')),
  severity      text NOT NULL CHECK (severity IN ('INFO', 'WARN', 'CRITICAL', 'ERROR')),
  week_ending   date,
  tier          text,
  capture_id    text,
  message       text NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}',
  execution_id  uuid,
  batch_id      text,
  detected_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz
);
CREATE INDEX core_anomalies_open_idx ON core_anomalies (domain, category, week_ending, tier) WHERE resolved_at IS NULL;
CREATE INDEX core_anomalies_recent_idx ON core_anomalies (detected_at DESC);

CREATE TABLE core_data_readiness (
  domain       text NOT NULL,
  week_ending  date NOT NULL,
  tier         text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'in_progress', 'ready', 'gated', 'failed', 'late')),
  capture_id   text,
  ready_at     timestamptz,
  detail       jsonb NOT NULL DEFAULT '{}',
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain, week_ending, tier)
);

CREATE TABLE core_expected_schedules (
  schedule_id            serial PRIMARY KEY,
  domain                 text NOT NULL,
  stage                  text NOT NULL,
  tier                   text NOT NULL,
  expected_day_of_week   smallint NOT NULL CHECK (expected_day_of_week BETWEEN 0 AND 6),
  expected_time          time NOT NULL,
  tolerance_hours        numeric NOT NULL CHECK (tolerance_hours >= 0),
  UNIQUE (domain, stage, tier)
);

-- The calculation graph: each calculation, its version, the stage that runs it and what it reads.
CREATE TABLE core_calc_dependencies (
  domain        text NOT NULL,
  calc_name     text NOT NULL,
  calc_version  integer NOT NULL,
  stage         text NOT NULL,
  depends_on    text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (domain, calc_name)
);

CREATE TABLE core_raw_files (
  raw_file_id   bigserial PRIMARY KEY,
  domain        text NOT NULL,
  week_ending   date NOT NULL,
  tier          text NOT NULL,
  bucket        text NOT NULL,
  object_key    text NOT NULL,
  sha256        text NOT NULL,
  size_bytes    bigint NOT NULL,
  source        text NOT NULL,
  source_uri    text NOT NULL,
  revision      integer NOT NULL,
  execution_id  uuid,
  batch_id      text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (domain, week_ending, tier, sha256),
  UNIQUE (domain, week_ending, tier, revision)
);

-- Down Migration
DROP TABLE core_raw_files, core_calc_dependencies, core_expected_schedules, core_data_readiness, core_anomalies,
  core_quality, core_rejects, core_manifest, core_captures, core_executions, core_batches;
