import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { SourceNotFoundError, type FinraSource, type SourceObject, type WeekRequest } from './source.ts';
import { weekFileName } from './week-file-name.ts';

/**
 * Week files under an S3 prefix, `s3://<bucket>/<prefix>/<TIER>/<week_ending>.psv` (see week-file-name.ts).
 * Like the directory source, objects must already be in FINRA's download format and are passed through unchanged.
 */
export class S3PrefixSource implements FinraSource {
  readonly kind = 's3';
  readonly bucket: string;
  /** Without leading or trailing '/'; empty for the bucket root. */
  readonly prefix: string;
  readonly #client: S3Client;

  constructor({ client, bucket, prefix = '' }: { client: S3Client; bucket: string; prefix?: string }) {
    this.#client = client;
    this.bucket = bucket;
    this.prefix = prefix.replace(/^\/+|\/+$/g, '');
  }

  describe(): string {
    return `s3:${this.bucket}/${this.prefix}`;
  }

  async openWeek(req: WeekRequest, signal?: AbortSignal): Promise<SourceObject> {
    const key = this.prefix ? `${this.prefix}/${weekFileName(req)}` : weekFileName(req);
    const sourceUri = `s3://${this.bucket}/${key}`;
    const response = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal }).catch((error: unknown) => {
      if (isMissingObject(error)) throw new SourceNotFoundError(req.tier, req.weekEnding, sourceUri, req.venueType);
      throw error;
    });
    // In Node the SDK hands back an IncomingMessage; anything else means a non-Node HTTP handler was configured.
    if (!(response.Body instanceof Readable)) throw new Error(`GetObject ${sourceUri} returned no Node.js stream body`);
    return { body: response.Body, sourceUri };
  }
}

/** NoSuchKey, or a bare 404 from S3-compatible stores that answer without an error code. */
function isMissingObject(error: unknown): boolean {
  if (error instanceof NoSuchKey) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === 404 && (error as Error).name !== 'NoSuchBucket';
}
