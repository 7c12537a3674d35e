-- Up Migration
-- Why a batch was closed when it did not simply run to its end: a job that failed for good, or the reconciler
-- finding that the batch could no longer progress (its weeks finished but nothing left to close it, say).
ALTER TABLE core_batches ADD COLUMN close_reason text;

-- Down Migration
ALTER TABLE core_batches DROP COLUMN close_reason;
