-- Up Migration
-- core_manifest is read by capture everywhere (a capture's stages: the status grid, the coverage grid, spine lag's
-- week states, the window calculations' inputs), and its primary key leads with domain and week_ending: without an
-- index on capture_id each lookup walked the whole key (bench:history, 1,248 partitions without planner statistics:
-- spine lag's "latest complete week" 309 ms a schedule, 263,000 buffers, -> 1.4 ms). It also serves the foreign key
-- to core_captures.
CREATE INDEX core_manifest_capture_idx ON core_manifest (capture_id, stage);

-- Down Migration
DROP INDEX core_manifest_capture_idx;
