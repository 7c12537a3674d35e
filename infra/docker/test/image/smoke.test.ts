// The built image (npm run test:image) run as production runs it: migrate a new database, a worker that loads a real
// FINRA week from the stand-in through S3, a worker stopped while FINRA never answers, a scheduler and a dashboard, each found healthy by the image's own
// HEALTHCHECK, under tini as uid 1000 with a read-only root and no capabilities, stopping cleanly on SIGTERM; and an
// image that carries none of the development tree (test doubles, generators, the local stack, the TypeScript compiler).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { shutdownTimes } from '@spine/orchestration';
import { BLOCKED_FETCH_JOB, BLOCKED_WEEK, jobFacts } from '../../../../tests/support/blocked-jobs.ts';
import { freePort, TestCluster } from '../../../../tests/support/cluster.ts';
import { testPool } from '../../../../tests/support/database.ts';
import { count } from '../../../../tests/support/tables.ts';
import { startSilentServer } from '../../../../tests/support/unresponsive-peers.ts';
import { Container, podmanOk, runOnce } from './containers.ts';

const IMAGE = inject('image');
const REAL_FILE = fileURLToPath(new URL('../../../../../shared/finra/finra_otc_weekly_otc_20251215.csv', import.meta.url));
/** The file is FINRA's OTC ATS week ending 2025-12-12: 5,328 lines. */
const WEEK = { tier: 'OTC', week_ending: '2025-12-12', venue_type: 'ATS' } as const;
const WEEK_LINES = 5328;
const SHUTDOWN_MS = 5000;
/** The chart's terminationGracePeriodSeconds: WORKER_SHUTDOWN_MS plus 15 s. */
const GRACE_SECONDS = SHUTDOWN_MS / 1000 + 15;
const DASHBOARD_SECRETS = { DASHBOARD_ADMIN_PASSWORD: 'image-admin-pw', DASHBOARD_VIEWER_PASSWORD: 'image-viewer-pw', DASHBOARD_SESSION_SECRET: 'image-session-secret-0123456789' };

const pool = testPool();
const cluster = new TestCluster();
const fixtures = mkdtempSync(join(tmpdir(), 'spine-image-finra-'));
const containers: Container[] = [];
let standIn: FinraStandIn;

/** The cluster's variables without the worker's own (the compose file gives every role the same, worker-free set). */
function appEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(cluster.env).filter(([key]) => !key.startsWith('WORKER_')));
}

async function start(role: string, env: Record<string, string>, args: string[]): Promise<Container> {
  const container = await Container.start(IMAGE, `spine-image-test-${role}-${process.pid}`, env, args);
  containers.push(container);
  return container;
}

/** What a container shows of its PID 1 and its own process: command, user, capabilities, what it may write. */
async function expectHardened(container: Container): Promise<void> {
  expect((await container.exec(['cat', '/proc/1/comm'])).stdout.trim()).toBe('tini');
  const status = (await container.exec(['cat', '/proc/1/status'])).stdout;
  expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe('1000');
  for (const set of ['CapPrm', 'CapEff', 'CapBnd']) expect(new RegExp(`^${set}:\\s+0+$`, 'm').test(status), set).toBe(true);
  expect((await container.exec(['id', '-u'])).stdout.trim()).toBe('1000');
  const app = await container.exec(['touch', '/app/written']);
  expect(app.code).not.toBe(0);
  expect(app.stderr).toMatch(/Read-only file system/);
  expect((await container.exec(['touch', '/home/node/written'])).stderr).toMatch(/Read-only file system/);
  expect((await container.exec(['touch', '/tmp/written'])).code).toBe(0);
}

beforeAll(async () => {
  if (!existsSync(REAL_FILE)) throw new Error(`the image smoke test loads the real FINRA week ${REAL_FILE}, which is absent (it lives in ../shared, beside the repository)`);
  mkdirSync(join(fixtures, 'OTC'));
  copyFileSync(REAL_FILE, join(fixtures, 'OTC', `${WEEK.week_ending}.psv`));
  standIn = await startFinraStandIn({ fixturesDir: fixtures, logger: pino({ level: 'silent' }) });
  await cluster.start({ FINRA_BASE_URL: standIn.url, WORKER_SHUTDOWN_MS: String(SHUTDOWN_MS) });
});

afterAll(async () => {
  for (const container of containers) await container.remove();
  await cluster.stop();
  await standIn?.close();
  rmSync(fixtures, { recursive: true, force: true });
  await pool.end();
});

describe(`the image ${IMAGE}`, () => {
  it('migrates a new database and exits 0', async () => {
    const result = await runOnce(IMAGE, { DATABASE_URL: cluster.env.DATABASE_URL!, LOG_LEVEL: 'warn' }, ['db', 'migrate']);
    expect(result.code, result.stderr).toBe(0);
    expect(await count(pool, 'SELECT 1 FROM pgmigrations')).toBeGreaterThan(5);
    expect(await count(pool, 'SELECT 1 FROM core_calc_dependencies')).toBeGreaterThan(0);
  });

  it('runs a worker that loads a real week from the FINRA stand-in through S3, and stops on SIGTERM with exit 0', async () => {
    const env = { ...cluster.env, WORKER_HEALTH_PORT: String(await freePort()) };
    const worker = await start('worker', env, ['worker']);
    await worker.waitHealthy(60_000);
    await expectHardened(worker);

    const enqueued = await cluster.enqueue(pool, { kind: 'backfill', weeks: [WEEK], source: 'finra', force: false, maxRejectShare: 0.05 });
    expect(enqueued.enqueued).toHaveLength(1);
    const progress = await cluster.waitForBatch(pool, enqueued.batch_id!, 150_000);
    expect(progress.ended, await worker.logs()).toBe(true);
    expect(await count(pool, 'SELECT 1 FROM otc_raw') + (await count(pool, 'SELECT 1 FROM core_rejects'))).toBe(WEEK_LINES);
    expect(standIn.requests().length).toBeGreaterThan(0);
    const { rows } = await pool.query<{ bucket: string; object_key: string }>('SELECT bucket, object_key FROM core_raw_files');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.bucket).toBe(cluster.env.S3_BUCKET);
    const s3 = new S3Client({
      endpoint: cluster.env.S3_ENDPOINT,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: cluster.env.S3_ACCESS_KEY_ID!, secretAccessKey: cluster.env.S3_SECRET_ACCESS_KEY! },
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: cluster.env.S3_BUCKET }));
    s3.destroy();
    expect(listed.Contents?.map((o) => o.Key)).toContain(rows[0]!.object_key);

    const stopped = await worker.stop(GRACE_SECONDS);
    expect(stopped.exitCode, await worker.logs()).toBe(0);
    expect(stopped.ms).toBeLessThan(GRACE_SECONDS * 1000);
  });

  it('stops a worker whose fetch FINRA never answers on SIGTERM, exit 0 within WORKER_SHUTDOWN_MS, the job handed back', async () => {
    const finra = await startSilentServer();
    try {
      const worker = await start('stuck-worker', { ...cluster.env, WORKER_HEALTH_PORT: String(await freePort()), FINRA_BASE_URL: finra.url }, ['worker']);
      await worker.waitHealthy(60_000);
      await cluster.enqueue(pool, { kind: 'backfill', weeks: [BLOCKED_WEEK], source: 'finra', force: false, maxRejectShare: 0.05 });
      await expect.poll(() => finra.receivedBytes(), { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
      const stopped = await worker.stop(GRACE_SECONDS);
      expect(stopped.exitCode, await worker.logs()).toBe(0);
      // The process ends by exitByMs whatever holds it; podman's own stop and inspect get 2 s more.
      expect(stopped.ms).toBeLessThan(shutdownTimes(SHUTDOWN_MS).exitByMs + 2000);
      expect(await jobFacts(cluster, pool, BLOCKED_FETCH_JOB)).toEqual({ state: 'waiting', attemptsMade: 0 });
    } finally {
      await finra.close();
    }
  });

  it('runs a scheduler that its healthcheck finds ready, and stops on SIGTERM with exit 0', async () => {
    const scheduler = await start('scheduler', { ...appEnv(), SCHEDULER_HEALTH_PORT: String(await freePort()) }, ['scheduler']);
    await scheduler.waitHealthy(60_000);
    await expectHardened(scheduler);
    const stopped = await scheduler.stop(GRACE_SECONDS);
    expect(stopped.exitCode, await scheduler.logs()).toBe(0);
    expect(stopped.ms).toBeLessThan(GRACE_SECONDS * 1000);
  });

  it('runs a dashboard that answers /readyz and the sign-in page, and stops on SIGTERM with exit 0', async () => {
    const port = await freePort();
    const dashboard = await start('dashboard', { ...appEnv(), ...DASHBOARD_SECRETS, DASHBOARD_HOST: '127.0.0.1', DASHBOARD_PORT: String(port) }, ['dashboard']);
    await dashboard.waitHealthy(60_000);
    await expectHardened(dashboard);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const signIn = await fetch(`http://127.0.0.1:${port}/login`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toMatch(/<form method="post" action="\/login"[\s\S]*type="password"/);
    const stopped = await dashboard.stop(GRACE_SECONDS);
    expect(stopped.exitCode, await dashboard.logs()).toBe(0);
  });
});

describe('what the image holds', () => {
  let root: string;
  beforeAll(async () => {
    root = (await podmanOk(['image', 'mount', IMAGE])).trim();
  });
  afterAll(async () => {
    await podmanOk(['image', 'unmount', IMAGE]);
  });

  /** Every installed package under a node_modules directory, nested ones included. */
  function packages(nodeModules: string): string[] {
    if (!existsSync(nodeModules)) return [];
    return readdirSync(nodeModules, { withFileTypes: true }).flatMap((e) => {
      if (!e.isDirectory() || e.name.startsWith('.')) return [];
      const dirs = e.name.startsWith('@') ? readdirSync(join(nodeModules, e.name)).map((s) => join(nodeModules, e.name, s)) : [join(nodeModules, e.name)];
      return dirs.flatMap((dir) => (existsSync(join(dir, 'package.json')) ? [(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name, ...packages(join(dir, 'node_modules'))] : []));
    });
  }

  it('prints its size', async () => {
    const size = Number((await podmanOk(['image', 'inspect', '--format', '{{.Size}}', IMAGE])).trim());
    console.log(`image ${IMAGE}: ${(size / 1e6).toFixed(0)} MB`);
    expect(size).toBeGreaterThan(0);
  });

  it('holds no test double, generator, local-stack code, s3rver or TypeScript compiler', () => {
    const app = join(root, 'app');
    expect(existsSync(join(app, 'libs/cli/dist/main.js'))).toBe(true);
    // The development-only workspaces (dev/*: stand-in, generator, local stack, demo): no directory, no link.
    for (const path of ['dev', 'node_modules/@spine/finra-stand-in', 'node_modules/@spine/otc-synthetic', 'node_modules/@spine/local-stack', 'node_modules/@spine/demo']) {
      expect(existsSync(join(app, path)), path).toBe(false);
    }
    const installed = packages(join(app, 'node_modules'));
    expect(installed).toContain('bullmq');
    expect(installed.filter((name) => ['s3rver', 'typescript', 'tsx', 'vitest', 'esbuild'].includes(name) || name.startsWith('@types/'))).toEqual([]);
    expect(existsSync(join(app, 'node_modules/.bin/tsc'))).toBe(false);
  });
});
