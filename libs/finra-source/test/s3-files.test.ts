import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FileTooLargeError } from '@spine/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3PrefixFiles } from '../src/s3-files.ts';
import { finraFile, NotThereError, notThere, readText } from './support.ts';

/** s3rver ships no type declarations; this is the part of its API the test uses. */
interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

describe('S3PrefixFiles', () => {
  const file = finraFile(3);
  let directory: string;
  let server: S3rverInstance;
  let client: S3Client;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'finra-source-s3-'));
    // Port 0: the OS picks a free port, which run() reports.
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'b' }] });
    const { port } = await server.run();
    client = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'finra/weekly/OTC/2025-11-28.psv', Body: file.text }));
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('reads s3://<bucket>/<prefix>/<path>, the prefix without its edge slashes', async () => {
    const source = new S3PrefixFiles({ client, bucket: 'b', prefix: '/finra/weekly/' });
    const { body, sourceUri } = await source.open('OTC/2025-11-28.psv', notThere);
    expect(await readText(body)).toBe(file.text);
    expect(sourceUri).toBe('s3://b/finra/weekly/OTC/2025-11-28.psv');
    expect(source.describe()).toBe('s3:b/finra/weekly');
  });

  it('rejects a missing key with the caller\'s not-found error naming the object', async () => {
    const source = new S3PrefixFiles({ client, bucket: 'b', prefix: 'finra/weekly' });
    const error = await source.open('NMS_TIER_2/2025-11-28.psv', notThere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotThereError);
    expect(error).toMatchObject({ where: 's3://b/finra/weekly/NMS_TIER_2/2025-11-28.psv' });
  });

  it('does not mistake a missing bucket for a missing file', async () => {
    const source = new S3PrefixFiles({ client, bucket: 'absent', prefix: 'finra' });
    const error = await source.open('OTC/2025-11-28.psv', notThere).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(NotThereError);
    expect((error as Error).name).toBe('NoSuchBucket');
  });

  it('refuses an object over the size cap by its Content-Length, unread', async () => {
    const source = new S3PrefixFiles({ client, bucket: 'b', prefix: 'finra/weekly', maxFileBytes: 100 });
    const error = await source.open('OTC/2025-11-28.psv', notThere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as Error).message).toBe(`s3://b/finra/weekly/OTC/2025-11-28.psv is ${Buffer.byteLength(file.text)} bytes, more than the 100-byte cap on a source file (SOURCE_MAX_FILE_BYTES); it was not stored`);
  });
});
