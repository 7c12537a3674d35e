// The "start it" path: s3rver (and redis-server when installed) started by ensureStack on free, non-default ports
// with the state file in a temp dir, then stopped by stopStack. The machine's own servers are never touched.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStack, findFreePort, isPortOpen, stopStack, type StackOptions } from '../src/index.ts';
import { pidMatches, which } from '../src/proc.ts';
import { pingRedis } from '../src/redis.ts';
import type { StackState } from '../src/state-file.ts';
import { baseRedisUrl, databaseUrlFor, dropDatabase } from './helpers.ts';

const dbName = `spine_stack_test_${process.pid}_start`;
const withRedisServer = which('redis-server') !== undefined;
let stateDir: string;
let options: StackOptions;
let s3Port: number;
let redisPort: number;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'spine-stack-state-'));
  s3Port = await findFreePort();
  redisPort = await findFreePort();
  const env: NodeJS.ProcessEnv = { DATABASE_URL: databaseUrlFor(dbName), S3_PORT: String(s3Port), S3_BUCKET: 'spine-raw' };
  // Without redis-server on this machine, use the provided Redis rather than trying apt-get from a test.
  if (!withRedisServer) env.REDIS_URL = baseRedisUrl;
  options = { env, stateDir, redisPort, migrate: false, allowInstall: false, log: () => {} };
});

afterAll(async () => {
  // If an assertion failed half-way, still stop whatever the test started.
  if (stateDir) {
    await stopStack({ stateDir, log: () => {} });
    await rm(stateDir, { recursive: true, force: true });
  }
  await dropDatabase(dbName);
});

describe('ensureStack starting servers, stopStack stopping them', () => {
  it('starts s3rver on S3_PORT and records it in the state file', async () => {
    const result = await ensureStack(options);
    expect(result.env.S3_ENDPOINT).toBe(`http://127.0.0.1:${s3Port}`);
    expect(result.env.S3_BUCKET).toBe('spine-raw');
    expect(result.started).toEqual(withRedisServer ? ['redis', 's3'] : ['s3']);
    if (withRedisServer) {
      expect(result.env.REDIS_URL).toBe(`redis://127.0.0.1:${redisPort}`);
      await pingRedis(result.env.REDIS_URL);
    }

    const state = JSON.parse(await readFile(path.join(stateDir, 'state.json'), 'utf8')) as StackState;
    expect(state.started.map((e) => e.service)).toEqual(result.started);
    for (const entry of state.started) expect(pidMatches(entry.pid, entry.match)).toBe(true);
    expect(existsSync(path.join(stateDir, 's3'))).toBe(true);
  });

  it('finds its own servers the second time and returns the same env', async () => {
    const lines: string[] = [];
    const first = await ensureStack({ ...options, log: () => {} });
    const again = await ensureStack({ ...options, log: (l) => lines.push(l) });
    expect(again.env).toEqual(first.env);
    expect(again.started).toEqual([]);
    expect(again.services.find((s) => s.service === 's3')).toMatchObject({ source: 'found' });
    expect(lines.some((l) => l.startsWith('s3: found') && l.includes('started earlier by npm run stack'))).toBe(true);
  });

  it('stopStack stops exactly what was started and clears the state file', async () => {
    const { started } = JSON.parse(await readFile(path.join(stateDir, 'state.json'), 'utf8')) as StackState;
    const lines: string[] = [];
    const result = await stopStack({ stateDir, log: (l) => lines.push(l) });

    expect(result.stopped).toEqual([...started].reverse().map((e) => e.description));
    expect(result.alreadyGone).toEqual([]);
    // (an exited child can linger as a zombie until reaped: pidMatches treats that as gone)
    for (const entry of started) expect(pidMatches(entry.pid, entry.match)).toBe(false);
    expect(await isPortOpen('127.0.0.1', s3Port)).toBe(false);
    if (withRedisServer) expect(await isPortOpen('127.0.0.1', redisPort)).toBe(false);
    expect(existsSync(path.join(stateDir, 'state.json'))).toBe(false);
    expect(lines.some((l) => l.startsWith(`stack: stopped s3rver on 127.0.0.1:${s3Port}`))).toBe(true);

    // The machine's Redis (merely found, never recorded) is still there.
    await pingRedis(baseRedisUrl);
    expect(await stopStack({ stateDir, log: () => {} })).toEqual({ stopped: [], alreadyGone: [] });
  });
});
