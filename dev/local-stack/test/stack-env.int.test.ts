// ensureStack against servers given through the environment: the machine's PostgreSQL/Redis (a database of its own)
// and an s3rver this test runs on a free port (a bucket of its own). Nothing is started, nothing recorded.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import S3rver from 's3rver';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStack, findFreePort } from '../src/index.ts';
import { s3Client } from '../src/s3.ts';
import { baseRedisUrl, databaseExists, databaseUrlFor, dropDatabase } from './helpers.ts';

const dbName = `spine_stack_test_${process.pid}`;
const bucket = `spine-stack-test-${process.pid}`;
let tmp: string;
let s3rver: S3rver;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'spine-stack-env-'));
  const port = await findFreePort();
  s3rver = new S3rver({ port, address: '127.0.0.1', silent: true, directory: path.join(tmp, 's3') });
  await s3rver.run();
  env = {
    DATABASE_URL: databaseUrlFor(dbName),
    REDIS_URL: baseRedisUrl,
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_BUCKET: bucket,
  };
  await dropDatabase(dbName);
});

afterAll(async () => {
  await dropDatabase(dbName);
  await s3rver?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('ensureStack with DATABASE_URL / REDIS_URL / S3_ENDPOINT set', () => {
  it('creates the database and bucket, applies migrations and returns the env', async () => {
    const lines: string[] = [];
    const result = await ensureStack({ env, stateDir: path.join(tmp, 'state'), allowInstall: false, log: (l) => lines.push(l) });

    expect(result.env).toEqual({
      DATABASE_URL: env.DATABASE_URL,
      REDIS_URL: baseRedisUrl,
      S3_ENDPOINT: env.S3_ENDPOINT,
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    expect(result.started).toEqual([]);
    expect(result.services.map((s) => [s.service, s.source])).toEqual([
      ['postgres', 'env'],
      ['redis', 'env'],
      ['s3', 'env'],
    ]);
    expect(lines).toContain(`postgres: database ${dbName} created`);
    expect(lines.some((l) => l.startsWith('postgres: applied'))).toBe(true);
    expect(lines).toContain(`s3: bucket ${bucket} created at ${env.S3_ENDPOINT}`);

    expect(await databaseExists(dbName)).toBe(true);
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ t: string | null }>("SELECT to_regclass('public.core_executions')::text AS t");
      expect(rows[0]?.t).toBe('core_executions');
    } finally {
      await client.end();
    }
    const s3 = s3Client({ endpoint: env.S3_ENDPOINT!, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    try {
      await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
    } finally {
      s3.destroy();
    }
    expect(existsSync(path.join(tmp, 'state', 'state.json'))).toBe(false);
  });

  it('is a no-op the second time and returns the same env', async () => {
    const first = await ensureStack({ env, stateDir: path.join(tmp, 'state'), allowInstall: false, log: () => {} });
    const lines: string[] = [];
    const second = await ensureStack({ env, stateDir: path.join(tmp, 'state'), allowInstall: false, log: (l) => lines.push(l) });
    expect(second.env).toEqual(first.env);
    expect(second.started).toEqual([]);
    expect(lines).toContain(`postgres: database ${dbName} exists`);
    expect(lines).toContain('postgres: migrations already up to date');
    expect(lines).toContain(`s3: bucket ${bucket} already exists at ${env.S3_ENDPOINT}`);
  });

  it('names the service and URL when a server does not answer', async () => {
    const deadPort = await findFreePort();
    await expect(
      ensureStack({ env: { ...env, REDIS_URL: `redis://127.0.0.1:${deadPort}` }, stateDir: path.join(tmp, 'state'), allowInstall: false, log: () => {} }),
    ).rejects.toThrow(`redis: REDIS_URL=redis://127.0.0.1:${deadPort} does not answer PING`);
  });
});
