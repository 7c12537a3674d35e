-- Up Migration
-- otc_venue_volume takes every accepted line of every week; its secondary index on (mpid, week_ending) cost a
-- quarter of the normalize stage (measured with npm run bench:week) and no query of the project used it. A venue's
-- history across weeks is otc_venue_share (one row per venue and week); a venue's symbols in one week are a scan
-- of that week's capture through the primary key.
DROP INDEX otc_venue_volume_mpid_idx;

-- Down Migration
CREATE INDEX otc_venue_volume_mpid_idx ON otc_venue_volume (mpid, week_ending);
