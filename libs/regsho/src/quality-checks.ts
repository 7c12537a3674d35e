import type { PoolClient } from '@spine/platform/db/pool';
import type { PartitionKey } from '@spine/platform/manifest';
import { lineAccounting, storeQualityResults, type QualityResult } from '@spine/platform/quality/quality-store';

/**
 * Rejected lines above this share of a facility's day are a WARN: FINRA's daily files have none, so even a few mean
 * a changed layout or a damaged download (the gate, past maxRejectShare, stops publication; this speaks well before).
 */
export const REJECT_SHARE_WARN = 0.001;

export function rejectShare(rejected: number, records: number): QualityResult {
  const share = records === 0 ? 0 : rejected / records;
  const base = { checkName: 'reject_share', threshold: REJECT_SHARE_WARN, observed: share };
  return share > REJECT_SHARE_WARN
    ? { ...base, status: 'WARN', message: `${rejected} of ${records} lines rejected (${(share * 100).toFixed(2)}% > ${REJECT_SHARE_WARN * 100}%)` }
    : { ...base, status: 'PASS', message: `${rejected} of ${records} lines rejected` };
}

/** A facility's file for a trading day with no symbol: FINRA publishes one on trading days only, never empty in practice. */
export function recordsPresent(records: number): QualityResult {
  return {
    checkName: 'records_present', threshold: 1, observed: records, status: records > 0 ? 'PASS' : 'WARN',
    message: records > 0 ? `${records} records` : 'the file has no records for a trading day: a partial publication, or the facility was closed',
  };
}

/**
 * The capture's own checks, from what ingest counted in the file and what the database now holds for it:
 * regsho_daily_lines rows plus core_rejects rows must be the file's records (its trailer count). Stored in
 * core_quality for the quality score, /quality and the quality alerts; a re-run replaces them.
 */
export async function storeDailyQualityChecks(
  client: PoolClient, key: PartitionKey, lineage: { executionId: string; batchId: string }, captureKey: number, records: number,
): Promise<QualityResult[]> {
  // $1 capture_key, $2 capture_id -> stored lines and rejected lines of the capture's ingest.
  const { rows: [stored] } = await client.query<{ accepted: number; rejected: number }>(
    `SELECT (SELECT count(*)::int FROM regsho_daily_lines WHERE capture_key = $1) AS accepted,
            (SELECT count(*)::int FROM core_rejects WHERE capture_id = $2 AND stage = 'ingest') AS rejected`,
    [captureKey, key.captureId],
  );
  const results = [lineAccounting(stored!.accepted, stored!.rejected, records), rejectShare(stored!.rejected, records), recordsPresent(records)];
  await storeQualityResults(client, key, lineage, results);
  return results;
}
