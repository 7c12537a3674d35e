import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetData, testPool } from '../../../tests/support/database.ts';
import { createS3Client } from '../src/storage/s3-client.ts';
import { RawStore } from '../src/storage/raw-store.ts';

/** s3rver ships no type declarations; this is the part of its API the test uses. */
type S3rverConstructor = new (options: { port: number; address: string; silent: boolean; directory: string; configureBuckets: { name: string }[] }) => {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
};
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

const pool = testPool();
const key = { domain: 'raw_store_test', periodEnd: '2025-12-05', key1: 'OTC', key2: 'ATS', prefix: 'raw-store-test/OTC/2025-12-05/', extension: 'psv' };
const meta = { source: 'dir', sourceUri: 'file:///weeks/OTC/2025-12-05.psv' };

describe('RawStore.put', () => {
  let directory: string;
  let server: InstanceType<S3rverConstructor>;
  let client: S3Client;
  let store: RawStore;

  beforeAll(async () => {
    await resetData(pool);
    directory = await mkdtemp(path.join(tmpdir(), 'raw-store-put-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'raw' }] });
    const { port } = await server.run();
    client = createS3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    store = new RawStore(client, 'raw');
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    await rm(directory, { recursive: true, force: true });
    await resetData(pool);
    await pool.end();
  });

  const read = async (objectKey: string) => (await client.send(new GetObjectCommand({ Bucket: 'raw', Key: objectKey }))).Body!.transformToString('utf8');

  it('stores content once, and again under its key when the bucket lost the object the database still lists', async () => {
    const first = await store.put(pool, key, Readable.from(['a|b\n']), meta);
    expect(first).toMatchObject({ isNew: true, revision: 1 });
    expect(await store.put(pool, key, Readable.from(['a|b\n']), meta)).toEqual({ ...first, isNew: false });

    await client.send(new DeleteObjectCommand({ Bucket: 'raw', Key: first.objectKey }));
    expect(await store.put(pool, key, Readable.from(['a|b\n']), meta)).toEqual({ ...first, isNew: false });
    expect(await read(first.objectKey)).toBe('a|b\n');
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM core_raw_files WHERE domain = $1`, [key.domain]);
    expect(rows[0]).toEqual({ n: 1 });
  });
});
