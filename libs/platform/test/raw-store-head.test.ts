import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../src/storage/s3-client.ts';
import { EMPTY_SHA256, RawStore, rawObjectKey } from '../src/storage/raw-store.ts';

/** s3rver ships no type declarations; this is the part of its API the test uses. */
type S3rverConstructor = new (options: { port: number; address: string; silent: boolean; directory: string; configureBuckets: { name: string }[] }) => {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
};
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

describe('RawStore.head', () => {
  let directory: string;
  let server: InstanceType<S3rverConstructor>;
  let client: S3Client;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'raw-store-head-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'raw' }] });
    const { port } = await server.run();
    // Short timeouts: a ranged read of an empty object that s3rver never answers fails in a second, not in a minute.
    client = createS3Client({
      endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER',
      timeouts: { connectMs: 1000, requestMs: 1000, socketMs: 1000 },
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('answers an empty raw file with no header at once instead of a ranged read that cannot be answered', async () => {
    const key = rawObjectKey({ prefix: 'test/OTC/2024-01-12/', extension: 'psv' }, EMPTY_SHA256);
    await client.send(new PutObjectCommand({ Bucket: 'raw', Key: key, Body: Buffer.alloc(0) }));
    await expect(new RawStore(client, 'raw').head(key)).resolves.toBe('');
  });

  it('reads the first line of a non-empty raw file', async () => {
    const key = rawObjectKey({ prefix: 'test/OTC/2024-01-19/', extension: 'psv' }, 'a'.repeat(64));
    await client.send(new PutObjectCommand({ Bucket: 'raw', Key: key, Body: Buffer.from('header|line\nrow\n') }));
    expect((await new RawStore(client, 'raw').head(key, 8)).split('\n')[0]).toBe('header|l');
  });
});
