import { PassThrough } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { InputError } from '@spine/platform/errors';
import { meteredStream, S3_URL, type ExportTarget } from '@spine/platform/research/export-targets';

/** S3 multipart part size: memory holds the parts in flight (queueSize), not the file. */
const PART_BYTES = 8 * 1024 * 1024;

/** `s3://bucket/prefix` split, or undefined for anything else. */
function parseS3Url(url: string): { bucket: string; prefix: string } | undefined {
  const match = S3_URL.exec(url);
  if (!match) return undefined;
  const prefix = match[2] ?? '';
  // A trailing slash names the same prefix; trimmed by index, since a pattern anchored at the end takes quadratic time.
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === '/') end--;
  return { bucket: match[1]!, prefix: prefix.slice(0, end) };
}

/**
 * An S3 prefix (`spine export --out s3://bucket/prefix`): every file streamed up as a multipart upload while it is
 * written, the manifest and README put whole. The prefix must hold no object yet.
 */
export function s3Target(s3: S3Client, url: string): ExportTarget {
  const parsed = parseS3Url(url);
  if (!parsed) throw new InputError(`--out: ${url} is not s3://bucket/prefix`);
  const { bucket, prefix } = parsed;
  const key = (path: string) => (prefix ? `${prefix}/${path}` : path);
  return {
    async checkEmpty() {
      // One page of keys (no MaxKeys: s3rver, the local stack's S3, fails a listing it has to truncate).
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix ? `${prefix}/` : undefined }));
      if ((listed.KeyCount ?? 0) > 0) throw new InputError(`--out: ${url} already holds objects (${listed.Contents?.[0]?.Key}); export to a new prefix`);
    },
    open(path) {
      const body = new PassThrough({ highWaterMark: PART_BYTES });
      const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: key(path), Body: body }, partSize: PART_BYTES, queueSize: 2 });
      return meteredStream(body, upload.done(), () => upload.abort());
    },
    async writeText(path, text) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key(path), Body: text, ContentType: path.endsWith('.json') ? 'application/json' : 'text/markdown' }));
    },
  };
}
