import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SourceFiles, SourceObject } from '@spine/platform';
import { capBytes, DEFAULT_MAX_FILE_BYTES, refuseOversize } from '@spine/platform/streams/byte-cap';

// The lookbehind starts a trailing run of '/' at its first one: `\/+$` alone rescans the run from each of its
// slashes, time quadratic in a prefix of many '/'.
const EDGE_SLASHES = /^\/+|(?<!\/)\/+$/g;

/** An S3 prefix without leading or trailing '/'. */
export function trimSlashes(prefix: string): string {
  return prefix.replace(EDGE_SLASHES, '');
}

/**
 * Objects under an S3 prefix, `s3://<bucket>/<prefix>/<path>` by the path a dataset's naming rule gives. Like a
 * directory's files they are passed through unchanged, and one larger than `maxFileBytes` is refused
 * (FileTooLargeError), by its Content-Length and by the bytes read.
 */
export class S3PrefixFiles implements SourceFiles {
  readonly bucket: string;
  /** Without leading or trailing '/'; empty for the bucket root. */
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #maxFileBytes: number;

  constructor({ client, bucket, prefix = '', maxFileBytes = DEFAULT_MAX_FILE_BYTES }: { client: S3Client; bucket: string; prefix?: string; maxFileBytes?: number }) {
    this.#client = client;
    this.#maxFileBytes = maxFileBytes;
    this.bucket = bucket;
    this.prefix = trimSlashes(prefix);
  }

  describe(): string {
    return `s3:${this.bucket}/${this.prefix}`;
  }

  async open(path: string, notFound: (where: string) => Error, signal?: AbortSignal): Promise<SourceObject> {
    const key = this.prefix ? `${this.prefix}/${path}` : path;
    const sourceUri = `s3://${this.bucket}/${key}`;
    // Loaded when a file is read, not when the module is: whoever made the client loaded the SDK already, and a
    // command that only names sources (spine lag) does not pay its 150 ms.
    const { GetObjectCommand, NoSuchKey } = await import('@aws-sdk/client-s3');
    const response = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal }).catch((error: unknown) => {
      if (isMissingObject(error, NoSuchKey)) throw notFound(sourceUri);
      throw error;
    });
    // In Node the SDK hands back an IncomingMessage; anything else means a non-Node HTTP handler was configured.
    if (!(response.Body instanceof Readable)) throw new Error(`GetObject ${sourceUri} returned no Node.js stream body`);
    try {
      refuseOversize(sourceUri, response.ContentLength, this.#maxFileBytes);
    } catch (error) {
      response.Body.destroy();
      throw error;
    }
    return { body: capBytes(response.Body, this.#maxFileBytes, sourceUri), sourceUri };
  }
}

/** NoSuchKey, or a bare 404 from S3-compatible stores that answer without an error code. */
function isMissingObject(error: unknown, NoSuchKey: typeof import('@aws-sdk/client-s3').NoSuchKey): boolean {
  if (error instanceof NoSuchKey) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === 404 && (error as Error).name !== 'NoSuchBucket';
}
