import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { StackError, redactUrl } from './errors.ts';
import { nonEmpty, repoRoot } from './paths.ts';
import { isPortOpen, waitFor } from './port-probe.ts';
import { tailFile, terminate, withLogTail } from './proc.ts';
import { foundDetail, type ServiceContext, type ServiceOutcome } from './service.ts';

export const DEFAULT_S3_PORT = 4569;
export const DEFAULT_S3_BUCKET = 'spine-raw';
export const DEFAULT_S3_REGION = 'us-east-1';
/** s3rver's built-in account; only ever a local development credential. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const S3_SERVER_ENTRY = fileURLToPath(new URL('./s3-server-main.ts', import.meta.url));
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface S3Settings {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Resolves once endpoint answers any HTTP request (any status counts: S3 servers answer anonymous GET / with 403). */
export async function checkHttp(endpoint: string, timeoutMs = 3000): Promise<void> {
  const response = await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
}

export function s3Client(s: S3Settings): S3Client {
  return new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
  });
}

/** HeadBucket; CreateBucket when it is missing. Returns whether it was created. */
export async function ensureBucket(s: S3Settings): Promise<boolean> {
  const client = s3Client(s);
  try {
    try {
      await client.send(new HeadBucketCommand({ Bucket: s.bucket }));
      return false;
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw err;
    }
    try {
      await client.send(new CreateBucketCommand({ Bucket: s.bucket }));
    } catch (err) {
      if ((err as Error).name === 'BucketAlreadyOwnedByYou') return false;
      throw err;
    }
    return true;
  } finally {
    client.destroy();
  }
}

/**
 * S3_ENDPOINT if set (must answer HTTP), else http://127.0.0.1:<port> if it answers, else start s3rver there as a
 * detached process. Then makes sure the bucket exists.
 */
export async function ensureS3(ctx: ServiceContext, port: number): Promise<ServiceOutcome & { settings: S3Settings }> {
  const bucket = nonEmpty(ctx.env.S3_BUCKET) ?? DEFAULT_S3_BUCKET;
  if (!BUCKET_NAME.test(bucket)) throw new StackError('s3', `S3_BUCKET=${JSON.stringify(bucket)} is not a valid S3 bucket name`);
  const region = nonEmpty(ctx.env.S3_REGION) ?? DEFAULT_S3_REGION;
  const accessKeyId = nonEmpty(ctx.env.S3_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(ctx.env.S3_SECRET_ACCESS_KEY);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new StackError('s3', 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (then s3rver\'s local S3RVER/S3RVER is used)');
  }
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : S3RVER_CREDENTIALS;

  let outcome: ServiceOutcome & { endpoint: string };
  const fromEnv = nonEmpty(ctx.env.S3_ENDPOINT);
  if (fromEnv) {
    try {
      await checkHttp(fromEnv);
    } catch (err) {
      throw new StackError('s3', `S3_ENDPOINT=${redactUrl(fromEnv)} does not answer HTTP`, { cause: err });
    }
    ctx.log(`s3: using S3_ENDPOINT from the environment (${redactUrl(fromEnv)})`);
    outcome = { service: 's3', source: 'env', endpoint: fromEnv, location: redactUrl(fromEnv), detail: 'from S3_ENDPOINT' };
  } else {
    const endpoint = `http://127.0.0.1:${port}`;
    if (await isPortOpen('127.0.0.1', port)) {
      try {
        await checkHttp(endpoint);
      } catch (err) {
        throw new StackError('s3', `something listens on 127.0.0.1:${port} but does not answer HTTP; set S3_ENDPOINT or S3_PORT`, { cause: err });
      }
      const detail = await foundDetail(ctx, 's3', endpoint);
      ctx.log(`s3: found an HTTP server on ${endpoint}, using it as the S3 endpoint (${detail})`);
      outcome = { service: 's3', source: 'found', endpoint, location: endpoint, detail };
    } else {
      outcome = await startS3rver(ctx, port, endpoint);
    }
  }

  const settings: S3Settings = { endpoint: outcome.endpoint, bucket, region, ...credentials };
  let created: boolean;
  try {
    created = await ensureBucket(settings);
  } catch (err) {
    throw new StackError('s3', `could not check or create bucket ${bucket} at ${outcome.location}`, { cause: err });
  }
  ctx.log(`s3: bucket ${bucket} ${created ? 'created' : 'already exists'} at ${outcome.location}`);
  return { ...outcome, settings };
}

async function startS3rver(ctx: ServiceContext, port: number, endpoint: string): Promise<ServiceOutcome & { endpoint: string }> {
  const dataDir = path.join(ctx.stateDir, 's3');
  const logFile = path.join(ctx.stateDir, 's3rver.log');
  await mkdir(dataDir, { recursive: true });
  ctx.log(`s3: nothing on 127.0.0.1:${port}; starting s3rver (data ${dataDir}, log ${logFile})`);

  const logFd = openSync(logFile, 'a');
  let child;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', S3_SERVER_ENTRY, '--port', String(port), '--directory', dataDir], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, FORCE_COLOR: '0' }, // plain log lines
    });
  } finally {
    closeSync(logFd);
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `was killed by ${signal}` : `exited with code ${code}`));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    throw new StackError('s3', `could not spawn ${process.execPath} for s3rver`, { cause: await spawnError });
  }
  await ctx.state.add({
    service: 's3',
    description: `s3rver on 127.0.0.1:${port}`,
    url: endpoint,
    pid,
    match: 's3-server-main',
    startedAt: new Date().toISOString(),
  });
  try {
    await waitFor(`s3rver to answer on ${endpoint}`, () => checkHttp(endpoint, 1000), {
      timeoutMs: 20_000,
      abortIf: () => {
        if (exited) throw new Error(`the s3rver process ${exited}`);
      },
    });
  } catch (err) {
    await terminate(pid);
    await ctx.state.remove(pid);
    throw new StackError('s3', withLogTail(`s3rver (pid ${pid}) did not come up on ${endpoint}`, logFile, await tailFile(logFile)), { cause: err });
  }
  ctx.log(`s3: started s3rver on ${endpoint} (pid ${pid})`);
  return { service: 's3', source: 'started', endpoint, location: endpoint, detail: `pid ${pid}, data ${dataDir}, log ${logFile}` };
}
