-- Up Migration
-- Data-quality alerts (issue 23): the scheduler raises a QUALITY anomaly for each check a due week's current capture
-- did not pass (and for records below their rolling average), the check named in detail. One open row per week x
-- tier x venue type x check x severity, whichever replica or tick raises it, as for FRESHNESS.
CREATE UNIQUE INDEX core_anomalies_open_quality_uidx ON core_anomalies (domain, week_ending, tier, venue_type, (detail->>'check'), severity)
  WHERE category = 'QUALITY' AND resolved_at IS NULL;

-- Down Migration
DROP INDEX core_anomalies_open_quality_uidx;
