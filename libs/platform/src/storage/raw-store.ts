import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Queryable } from '../db/pool.ts';
import { DEFAULT_MAX_FILE_BYTES, FileTooLargeError } from '../streams/byte-cap.ts';
import { makeSpoolDir, releaseSpoolDir } from './spool.ts';

export interface RawObjectKey {
  domain: string;
  key1: string;
  key2: string;
  periodEnd: string;
  /** Where the partition's objects live (DatasetDefinition.codec.objectKeyPrefix) and their extension. */
  prefix: string;
  extension: string;
}

/** The SHA-256 of no bytes: the key of an empty raw file ends with it. */
export const EMPTY_SHA256 = createHash('sha256').digest('hex');

export interface StoredRawFile {
  bucket: string;
  objectKey: string;
  sha256: string;
  sizeBytes: number;
  revision: number;
  /** False when identical content was already stored for this week: nothing was uploaded. */
  isNew: boolean;
}

/** Content-addressed within its partition: `<partition prefix><sha256>.<extension>`. */
export function rawObjectKey(key: Pick<RawObjectKey, 'prefix' | 'extension'>, sha256: string): string {
  return `${key.prefix}${sha256}.${key.extension}`;
}

/**
 * Raw week files in S3, registered in core_raw_files. The body is spooled to a temporary file while it is hashed
 * (memory stays flat and the content-addressed key is known before upload), then streamed to S3 with a multipart
 * upload. Content already stored for the week is not stored twice; new content becomes the week's next revision.
 * Content registered in core_raw_files whose object the bucket no longer holds (a bucket emptied or replaced while the
 * database was kept) is uploaded again under its key, so the stages that read it find it.
 * A body larger than `maxObjectBytes` fails the put with FileTooLargeError once the cap is passed: nothing is stored.
 * Aborting `signal` ends the read and the upload at once (an S3 request already sent is left to the client's
 * timeouts, or to destroying the client).
 */
export class RawStore {
  constructor(private readonly s3: S3Client, readonly bucket: string, readonly maxObjectBytes = DEFAULT_MAX_FILE_BYTES) {}

  async put(
    db: Queryable,
    key: RawObjectKey,
    body: Readable,
    meta: { source: string; sourceUri: string; executionId?: string; batchId?: string },
    signal?: AbortSignal,
  ): Promise<StoredRawFile> {
    const dir = await makeSpoolDir('raw');
    try {
      const path = join(dir, 'body');
      const hash = createHash('sha256');
      let sizeBytes = 0;
      const maxBytes = this.maxObjectBytes;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          sizeBytes += chunk.length;
          if (sizeBytes > maxBytes) return done(new FileTooLargeError(meta.sourceUri, maxBytes));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(body, meter, createWriteStream(path), { signal });
      const sha256 = hash.digest('hex');
      const existing = await db.query<{ object_key: string; bucket: string; revision: number }>(
        'SELECT bucket, object_key, revision FROM core_raw_files WHERE domain = $1 AND period_end = $2 AND key_1 = $3 AND key_2 = $5 AND sha256 = $4',
        [key.domain, key.periodEnd, key.key1, sha256, key.key2],
      );
      const found = existing.rows[0];
      if (found) {
        if (!(await this.holds(found.object_key, signal))) await this.upload(found.object_key, path, sha256, meta.source, signal);
        return { bucket: found.bucket, objectKey: found.object_key, sha256, sizeBytes, revision: found.revision, isNew: false };
      }

      const objectKey = rawObjectKey(key, sha256);
      await this.upload(objectKey, path, sha256, meta.source, signal);
      const { rows } = await db.query<{ revision: number }>(
        `INSERT INTO core_raw_files (domain, period_end, key_1, key_2, bucket, object_key, sha256, size_bytes, source, source_uri, revision, execution_id, batch_id)
         SELECT $1, $2, $3, $12, $4, $5, $6, $7, $8, $9, COALESCE(max(revision), 0) + 1, $10, $11
           FROM core_raw_files WHERE domain = $1 AND period_end = $2 AND key_1 = $3 AND key_2 = $12
         ON CONFLICT (domain, period_end, key_1, key_2, sha256) DO UPDATE SET source_uri = core_raw_files.source_uri
         RETURNING revision`,
        [key.domain, key.periodEnd, key.key1, this.bucket, objectKey, sha256, sizeBytes, meta.source, meta.sourceUri,
          meta.executionId ?? null, meta.batchId ?? null, key.key2],
      );
      return { bucket: this.bucket, objectKey, sha256, sizeBytes, revision: rows[0]!.revision, isNew: true };
    } finally {
      await releaseSpoolDir(dir);
    }
  }

  /** Whether the bucket holds the object (HEAD; 404 is no, any other failure is thrown). */
  private async holds(objectKey: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }), { abortSignal: signal });
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  }

  /** Streams the spooled body to the bucket as a multipart upload; aborting `signal` aborts it. */
  private async upload(objectKey: string, path: string, sha256: string, source: string, signal?: AbortSignal): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: objectKey, Body: createReadStream(path), ContentType: 'text/plain; charset=utf-8', Metadata: { sha256, source } },
    });
    signal?.throwIfAborted();
    const abortUpload = () => void upload.abort();
    signal?.addEventListener('abort', abortUpload, { once: true });
    try {
      await upload.done();
    } finally {
      signal?.removeEventListener('abort', abortUpload);
    }
  }

  /**
   * The first bytes of an object (a ranged GET), enough to read a header line without downloading the file. An
   * empty object has no first bytes: S3 answers a range of it with 416 and s3rver never answers at all (a read that
   * hangs until the socket timeout, retried as an infrastructure fault for minutes), so an empty raw file, known by
   * its content-addressed key, is not asked for.
   */
  async head(objectKey: string, bytes = 4096, signal?: AbortSignal): Promise<string> {
    if (objectKey.slice(objectKey.lastIndexOf('/') + 1).startsWith(`${EMPTY_SHA256}.`)) return '';
    const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey, Range: `bytes=0-${bytes - 1}` }), { abortSignal: signal });
    return answer.Body ? await answer.Body.transformToString('utf8') : '';
  }

  /** The object's body; aborting the signal destroys the stream, so a read that hangs ends. */
  async open(objectKey: string, signal?: AbortSignal): Promise<Readable> {
    const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }), { abortSignal: signal });
    if (!answer.Body) throw new Error(`s3://${this.bucket}/${objectKey} has no body`);
    return answer.Body as Readable;
  }
}
