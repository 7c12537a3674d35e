import { pipeline, Transform, type Readable } from 'node:stream';

/**
 * The default cap on one fetched week file (SOURCE_MAX_FILE_BYTES). FINRA's largest weekly files are some tens of
 * MB (up to 500,000 rows, FINRA's largest offset, of a few hundred bytes): 256 MiB leaves room and still stops a
 * hostile source from filling the worker's disk and the bucket.
 */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/** A fetched file larger than the cap: a data error, since fetching it again brings the same bytes. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(readonly where: string, readonly maxBytes: number, sizeBytes?: number) {
    super(`${where} is ${sizeBytes === undefined ? 'larger than' : `${sizeBytes} bytes, more than`} the ${maxBytes}-byte cap on a source file ` +
      '(SOURCE_MAX_FILE_BYTES); it was not stored');
  }
}

/** Throws FileTooLargeError when a size known before reading (a file's stat, a Content-Length) passes the cap. */
export function refuseOversize(where: string, sizeBytes: number | undefined, maxBytes: number): void {
  if (sizeBytes !== undefined && sizeBytes > maxBytes) throw new FileTooLargeError(where, maxBytes, sizeBytes);
}

/**
 * The body, failing with FileTooLargeError as soon as more than `maxBytes` have passed, before the byte past the
 * cap reaches the reader; the source is destroyed with it, so the rest is never read.
 */
export function capBytes(body: Readable, maxBytes: number, where: string): Readable {
  let seen = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > maxBytes ? new FileTooLargeError(where, maxBytes) : null, seen > maxBytes ? undefined : chunk);
    },
  });
  // The error reaches the reader through `cap`, which pipeline destroys with it.
  return pipeline(body, cap, () => {});
}
