import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import S3rver from 's3rver';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, inject } from 'vitest';
import { parseEnv, type DatasetRegistry, type Pool } from '@spine/platform';
import { orchestrationEnvSchema } from '@spine/orchestration/orchestration-env';
import { testPool } from './database.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE } from './golden.ts';
import { spawnWorker, type SpineChild } from '@spine/cli/spawn-spine';
import { batchProgress, createRedis, enqueueBatch, openQueues, QUEUES, reconcile, type BatchProgress, type EnqueueRequest, type ReconcileResult } from '@spine/orchestration';
import { datasets as releaseDatasets } from '@spine/datasets';


export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A throwaway cluster for one test file: its own S3 server and bucket, its own queue prefix (on the machine's
 * Redis) and the run's PostgreSQL database; worker processes are real `spine worker` child processes.
 */
export class TestCluster {
  /** `datasets`: the registry its producers and progress read (this release's unless a test registers its own). */
  constructor(private readonly datasets: DatasetRegistry = releaseDatasets) {}

  readonly prefix = `test-${inject('testRunId')}-${Math.random().toString(36).slice(2, 8)}`;
  readonly bucket = `spine-test-${Math.random().toString(36).slice(2, 10)}`;
  private s3?: S3rver;
  private s3Dir = mkdtempSync(join(tmpdir(), 'spine-s3-'));
  private children: SpineChild[] = [];
  env: Record<string, string> = {};

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    const port = await freePort();
    this.s3 = new S3rver({ port, address: '127.0.0.1', silent: true, directory: this.s3Dir, configureBuckets: [{ name: this.bucket, configs: [] }] });
    await this.s3.run();
    this.env = {
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: this.prefix,
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: this.bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      WORKER_HEALTH_PORT: '0',
      WORKER_LOCK_MS: '2000',
      WORKER_SHUTDOWN_MS: '5000',
      FETCH_BACKOFF_MS: '100',
      STAGE_BACKOFF_MS: '100',
      LOG_LEVEL: 'info',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Workers refuse a dir: source outside it: the golden weeks are what most cluster tests load.
      SOURCE_DIR_ALLOWLIST: GOLDEN_DIR,
      ...extraEnv,
    };
  }

  /** Starts a `spine worker` child process on this cluster's queues, database and bucket; `env` overrides the cluster's. */
  async spawnWorker(args: string[] = [], env: Record<string, string> = {}): Promise<SpineChild> {
    const child = await spawnWorker({ ...process.env, ...this.env, ...env }, args);
    this.children.push(child);
    return child;
  }

  queues(pool: Pool) {
    return openQueues(parseEnv(orchestrationEnvSchema, { ...process.env, ...this.env }), pool, this.datasets);
  }

  async enqueue(pool: Pool, req: EnqueueRequest) {
    const queues = this.queues(pool);
    try {
      return await enqueueBatch(queues, req);
    } finally {
      await queues.close();
    }
  }

  /** Polls until the batch ends (or the timeout passes), returning its progress. */
  async waitForBatch(pool: Pool, batchId: string, timeoutMs = 30_000): Promise<BatchProgress> {
    const queues = this.queues(pool);
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const progress = await batchProgress(pool, batchId, queues);
        if (process.env.DEBUG_CLUSTER) console.log(JSON.stringify(progress));
        if (progress?.ended) return progress;
        if (Date.now() > deadline) throw new Error(`batch ${batchId} did not end in ${timeoutMs} ms: ${JSON.stringify(progress)}\n${this.children.map((c) => c.output().slice(-3000)).join('\n---\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await queues.close();
    }
  }

  /** What a Redis restart without persistence does, limited to this cluster's queue prefix (Redis is shared); returns the keys removed. */
  async flushRedis(): Promise<number> {
    const redis = createRedis(this.env.REDIS_URL!);
    let removed = 0;
    try {
      for await (const keys of redis.scanStream({ match: `${this.prefix}:*`, count: 500 })) {
        if ((keys as string[]).length) removed += await redis.unlink(...(keys as string[]));
      }
    } finally {
      await redis.quit();
    }
    return removed;
  }

  /** One run of the reconciler on this cluster's queues, as `spine reconcile [--dry-run]` runs it. */
  async reconcile(pool: Pool, dryRun = false): Promise<ReconcileResult> {
    const queues = this.queues(pool);
    try {
      return await reconcile(queues, { dryRun, defaultMaxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    } finally {
      await queues.close();
    }
  }

  /** Removes every job of this cluster's queues, so a test starts without an earlier test's failed jobs. */
  async clearQueues(): Promise<void> {
    const connection = createRedis(this.env.REDIS_URL!);
    for (const name of Object.values(QUEUES)) {
      const queue = new Queue(name, { connection, prefix: this.prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await connection.quit();
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop('SIGKILL')));
    await this.clearQueues();
    await this.s3?.close();
    rmSync(this.s3Dir, { recursive: true, force: true });
  }
}

/** A test file's cluster and pool: started before its tests, stopped and closed after them. */
export function useTestCluster(): { pool: Pool; cluster: TestCluster } {
  const pool = testPool();
  const cluster = new TestCluster();
  beforeAll(() => cluster.start());
  afterAll(async () => {
    await cluster.stop();
    await pool.end();
  });
  return { pool, cluster };
}
