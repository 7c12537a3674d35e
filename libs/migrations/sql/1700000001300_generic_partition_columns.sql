-- Up Migration
-- The core tables are every dataset's, so they name a partition as the platform does: the date that names its period
-- (period_end: a week's Friday, a trading day, a month's last day) and its dataset's two keys in the order the dataset
-- declares them (key_1, key_2; a one-key dataset's key_2 is its implicit value). OTC's week_ending, tier and venue_type
-- and Reg SHO's trade_date and market_code are those slots under their own names: their views select them under those
-- names, and a view or SQL-standard function keeps its columns across a rename, so every contract view keeps its name
-- and columns. Renaming keeps the data, indexes and constraints as they are: nothing is rewritten.
ALTER TABLE core_executions RENAME COLUMN week_ending TO period_end;
ALTER TABLE core_executions RENAME COLUMN tier TO key_1;
ALTER TABLE core_executions RENAME COLUMN venue_type TO key_2;
ALTER TABLE core_captures RENAME COLUMN week_ending TO period_end;
ALTER TABLE core_captures RENAME COLUMN tier TO key_1;
ALTER TABLE core_captures RENAME COLUMN venue_type TO key_2;
ALTER TABLE core_raw_files RENAME COLUMN week_ending TO period_end;
ALTER TABLE core_raw_files RENAME COLUMN tier TO key_1;
ALTER TABLE core_raw_files RENAME COLUMN venue_type TO key_2;
ALTER TABLE core_manifest RENAME COLUMN week_ending TO period_end;
ALTER TABLE core_manifest RENAME COLUMN tier TO key_1;
ALTER TABLE core_manifest RENAME COLUMN venue_type TO key_2;
ALTER TABLE core_rejects RENAME COLUMN week_ending TO period_end;
ALTER TABLE core_rejects RENAME COLUMN tier TO key_1;
ALTER TABLE core_rejects RENAME COLUMN venue_type TO key_2;
ALTER TABLE core_quality RENAME COLUMN week_ending TO period_end;
ALTER TABLE core_quality RENAME COLUMN tier TO key_1;
ALTER TABLE core_quality RENAME COLUMN venue_type TO key_2;
ALTER TABLE core_anomalies RENAME COLUMN week_ending TO period_end;
ALTER TABLE core_anomalies RENAME COLUMN tier TO key_1;
ALTER TABLE core_anomalies RENAME COLUMN venue_type TO key_2;
ALTER TABLE core_data_readiness RENAME COLUMN week_ending TO period_end;
ALTER TABLE core_data_readiness RENAME COLUMN tier TO key_1;
ALTER TABLE core_data_readiness RENAME COLUMN venue_type TO key_2;
ALTER TABLE core_expected_schedules RENAME COLUMN tier TO key_1;
ALTER TABLE core_expected_schedules RENAME COLUMN venue_type TO key_2;

-- Down Migration
ALTER TABLE core_executions RENAME COLUMN period_end TO week_ending;
ALTER TABLE core_executions RENAME COLUMN key_1 TO tier;
ALTER TABLE core_executions RENAME COLUMN key_2 TO venue_type;
ALTER TABLE core_captures RENAME COLUMN period_end TO week_ending;
ALTER TABLE core_captures RENAME COLUMN key_1 TO tier;
ALTER TABLE core_captures RENAME COLUMN key_2 TO venue_type;
ALTER TABLE core_raw_files RENAME COLUMN period_end TO week_ending;
ALTER TABLE core_raw_files RENAME COLUMN key_1 TO tier;
ALTER TABLE core_raw_files RENAME COLUMN key_2 TO venue_type;
ALTER TABLE core_manifest RENAME COLUMN period_end TO week_ending;
ALTER TABLE core_manifest RENAME COLUMN key_1 TO tier;
ALTER TABLE core_manifest RENAME COLUMN key_2 TO venue_type;
ALTER TABLE core_rejects RENAME COLUMN period_end TO week_ending;
ALTER TABLE core_rejects RENAME COLUMN key_1 TO tier;
ALTER TABLE core_rejects RENAME COLUMN key_2 TO venue_type;
ALTER TABLE core_quality RENAME COLUMN period_end TO week_ending;
ALTER TABLE core_quality RENAME COLUMN key_1 TO tier;
ALTER TABLE core_quality RENAME COLUMN key_2 TO venue_type;
ALTER TABLE core_anomalies RENAME COLUMN period_end TO week_ending;
ALTER TABLE core_anomalies RENAME COLUMN key_1 TO tier;
ALTER TABLE core_anomalies RENAME COLUMN key_2 TO venue_type;
ALTER TABLE core_data_readiness RENAME COLUMN period_end TO week_ending;
ALTER TABLE core_data_readiness RENAME COLUMN key_1 TO tier;
ALTER TABLE core_data_readiness RENAME COLUMN key_2 TO venue_type;
ALTER TABLE core_expected_schedules RENAME COLUMN key_1 TO tier;
ALTER TABLE core_expected_schedules RENAME COLUMN key_2 TO venue_type;
