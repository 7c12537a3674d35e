import type { Queryable } from './db/pool.ts';

export interface Capture {
  captureId: string;
  revision: number;
  isNew: boolean;
}

export interface CaptureSource {
  domain: string;
  periodEnd: string;
  key1: string;
  key2: string;
  /** The partition's part of capture ids (DatasetDefinition.codec.captureIdPrefix). */
  idPrefix: string;
  sha256: string;
  sourceUri: string;
  executionId: string;
  batchId: string;
}

/**
 * One capture per distinct source content of a partition. The id derives from the content hash, so re-running
 * the same source lands on the same capture (its rows are replaced), while new content becomes the next revision.
 * Callers hold the partition's advisory lock, which serialises revision numbering.
 */
export async function resolveCapture(db: Queryable, source: CaptureSource): Promise<Capture> {
  const existing = await db.query<{ capture_id: string; revision: number }>(
    'SELECT capture_id, revision FROM core_captures WHERE domain = $1 AND period_end = $2 AND key_1 = $3 AND key_2 = $5 AND source_sha256 = $4',
    [source.domain, source.periodEnd, source.key1, source.sha256, source.key2],
  );
  const found = existing.rows[0];
  if (found) return { captureId: found.capture_id, revision: found.revision, isNew: false };
  const captureId = `${source.idPrefix}-${source.sha256.slice(0, 12)}`;
  const { rows } = await db.query<{ revision: number }>(
    `INSERT INTO core_captures (capture_id, domain, period_end, key_1, key_2, source_sha256, source_uri, revision, execution_id, batch_id)
     SELECT $1, $2, $3, $4, $9, $5, $6, COALESCE(max(revision), 0) + 1, $7, $8
       FROM core_captures WHERE domain = $2 AND period_end = $3 AND key_1 = $4 AND key_2 = $9
     RETURNING revision`,
    [captureId, source.domain, source.periodEnd, source.key1, source.sha256, source.sourceUri, source.executionId, source.batchId, source.key2],
  );
  return { captureId, revision: rows[0]!.revision, isNew: true };
}

/**
 * The publisher's dates of the version a capture holds that a download file cannot carry (FINRA's Query API answers
 * initialPublishedDate and lastReportedDate), YYYY-MM-DD; absent when the source did not say. lastUpdateDate is on
 * every line of a file, and ingest keeps the newest of the capture's (core_captures.finra_last_update_date).
 */
export interface SourcePublication {
  initialPublishedDate?: string;
  lastReportedDate?: string;
}

/** Keeps the publisher's dates with the capture. */
export async function recordSourcePublication(db: Queryable, captureId: string, publication: SourcePublication): Promise<void> {
  await db.query(
    `UPDATE core_captures SET finra_initial_published_date = COALESCE($2::date, finra_initial_published_date),
            finra_last_reported_date = COALESCE($3::date, finra_last_reported_date)
      WHERE capture_id = $1`,
    [captureId, publication.initialPublishedDate ?? null, publication.lastReportedDate ?? null],
  );
}
