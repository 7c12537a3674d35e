import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import S3rver from 's3rver';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createPool, parseEnv, type Pool } from '@spine/platform';
import { orchestrationEnvSchema } from '@spine/orchestration/orchestration-env';
import { findFreePort } from '@spine/local-stack';
import { spawnSpine, spawnWorker, type SpineChild } from '@spine/cli/spawn-spine';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { createRedis, enqueueBatch, openQueues, type EnqueueRequest } from '@spine/orchestration';
import { PrivatePostgres } from './private-postgres.ts';
import { PrivateRedis } from './private-redis.ts';
import { TcpProxy } from './tcp-proxy.ts';
import { allWeeks, FAULT_MAX_REJECT_SHARE } from './fault-dataset.ts';
import { resetData } from '../../support/database.ts';
import { datasets } from '@spine/datasets';

const SPINE_BIN = fileURLToPath(new URL('../../../libs/cli/bin/spine.mjs', import.meta.url));
const randomId = () => Math.random().toString(36).slice(2, 10);

/**
 * One test file's slice of the private stack: its own database (cloned from the migrated template), queue prefix,
 * bucket on its own s3rver behind a pausable TCP proxy, and FINRA stand-in; handles on the run's PostgreSQL and
 * Redis processes so scenarios can stop and restart them. Workers and schedulers are real `spine` child processes.
 */
export class FaultStack {
  readonly ctx = inject('faults');
  readonly postgres = new PrivatePostgres({ dir: this.ctx.pgDir, port: this.ctx.pgPort });
  readonly redis = new PrivateRedis({ dir: this.ctx.redisDir, port: this.ctx.redisPort });
  readonly database = `faults_${randomId()}`;
  readonly prefix = `faults-${randomId()}`;
  readonly bucket = `faults-${randomId()}`;
  readonly fixturesDir = mkdtempSync(join(this.ctx.workDir, 'fixtures-'));
  private readonly s3Dir = mkdtempSync(join(this.ctx.workDir, 's3-'));
  private s3?: S3rver;
  s3Proxy!: TcpProxy;
  standIn!: FinraStandIn;
  pool!: Pool;
  reference!: Pool;
  env: Record<string, string> = {};
  private children: SpineChild[] = [];

  /** `fixtures`: the directory the stand-in serves (copied, so a scenario may rewrite files); the dataset by default. */
  async start(options: { fixtures?: string; env?: Record<string, string>; maxPayloadBytes?: number } = {}): Promise<void> {
    const url = await this.postgres.createDatabase(this.database, 'faults_template');
    this.pool = createPool(url, 4);
    this.reference = createPool(this.ctx.referenceUrl, 2);
    const s3Port = await findFreePort();
    this.s3 = new S3rver({ port: s3Port, address: '127.0.0.1', silent: true, directory: this.s3Dir, configureBuckets: [{ name: this.bucket, configs: [] }] });
    await this.s3.run();
    this.s3Proxy = new TcpProxy({ host: '127.0.0.1', port: s3Port });
    await this.s3Proxy.start();
    cpSync(options.fixtures ?? this.ctx.datasetDir, this.fixturesDir, { recursive: true });
    this.standIn = await startFinraStandIn({ fixturesDir: this.fixturesDir, logger: pino({ level: 'silent' }), maxPayloadBytes: options.maxPayloadBytes });
    this.env = {
      DATABASE_URL: url,
      REDIS_URL: this.redis.url,
      QUEUE_PREFIX: this.prefix,
      S3_ENDPOINT: this.s3Proxy.url,
      S3_BUCKET: this.bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      FINRA_BASE_URL: this.standIn.url,
      FINRA_TOKEN_URL: this.standIn.tokenUrl,
      SOURCE_DIR_ALLOWLIST: this.ctx.workDir,
      QUALITY_MAX_REJECT_SHARE: String(FAULT_MAX_REJECT_SHARE),
      WORKER_HEALTH_PORT: '0',
      SCHEDULER_HEALTH_PORT: '0',
      // A lapsed lock is how a killed worker's job moves on; 2 s keeps 20+ kills inside the time budget.
      WORKER_LOCK_MS: '2000',
      WORKER_SHUTDOWN_MS: '5000',
      WORKER_FETCH_CONCURRENCY: '2',
      WORKER_STAGE_CONCURRENCY: '1',
      // Retries long enough to ride out the suite's longest outage (60 s of PostgreSQL) at short intervals, so
      // recovery time measures the product rather than the backoff cap.
      FETCH_ATTEMPTS: '30',
      FETCH_BACKOFF_MS: '250',
      STAGE_ATTEMPTS: '30',
      STAGE_BACKOFF_MS: '250',
      RETRY_BACKOFF_MAX_MS: '3000',
      S3_CONNECT_TIMEOUT_MS: '2000',
      S3_REQUEST_TIMEOUT_MS: '5000',
      S3_SOCKET_TIMEOUT_MS: '5000',
      DB_CONNECT_TIMEOUT_MS: '3000',
      FINRA_TIMEOUT_MS: '3000',
      FINRA_MAX_ATTEMPTS: '3',
      LOG_LEVEL: 'info',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...options.env,
    };
  }

  /**
   * A copy of the reference database (for a scenario whose expected tables are the reference plus something, such
   * as a revision). CREATE DATABASE ... TEMPLATE needs the template without sessions, so the pool is reopened.
   */
  async cloneReference(name: string): Promise<Pool> {
    await this.reference.end();
    try {
      return createPool(await this.postgres.createDatabase(name, 'faults_reference'), 2);
    } finally {
      this.reference = createPool(this.ctx.referenceUrl, 2);
    }
  }

  childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, ...this.env, ...extra };
  }

  async spawnWorker(extra: Record<string, string> = {}): Promise<SpineChild> {
    const child = await spawnWorker(this.childEnv(extra));
    this.children.push(child);
    return child;
  }

  async spawnScheduler(extra: Record<string, string> = {}): Promise<SpineChild> {
    const child = await spawnSpine(['scheduler'], this.childEnv(extra), { startedMessage: 'scheduler started' });
    this.children.push(child);
    return child;
  }

  /** Runs a one-shot `spine` command (e.g. `reconcile --json`) and resolves with its exit code and output. */
  runSpine(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, [SPINE_BIN, ...args], { env: this.childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.once('error', reject);
      proc.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async enqueue(req: Omit<EnqueueRequest, 'maxRejectShare' | 'force'> & { maxRejectShare?: number; force?: boolean }) {
    const queues = openQueues(parseEnv(orchestrationEnvSchema, this.childEnv()), this.pool, datasets);
    try {
      return await enqueueBatch(queues, { force: false, maxRejectShare: FAULT_MAX_REJECT_SHARE, ...req });
    } finally {
      await queues.close();
    }
  }

  /** The whole synthetic dataset (18 weeks) as one backfill from its directory. */
  backfillDataset() {
    return this.enqueue({ kind: 'backfill', weeks: allWeeks(), source: `dir:${this.ctx.datasetDir}` });
  }

  /**
   * Polls until no batch is `running` (PostgreSQL may be down meanwhile: errors are waited out). Throws with the
   * workers' last log lines when the timeout passes: a stuck batch is a failure the suite reports.
   */
  async waitForBatchesClosed(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { rows } = await this.pool.query(`SELECT batch_id, status FROM core_batches`);
        if (rows.length && rows.every((r) => r.status !== 'running')) return;
        if (Date.now() > deadline) {
          throw new Error(`batches still open after ${timeoutMs} ms: ${JSON.stringify(rows)}\n${this.children.map((c) => c.output().slice(-2500)).join('\n---\n')}`);
        }
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  liveChildren(): SpineChild[] {
    return this.children.filter((c) => c.proc.exitCode === null && c.proc.signalCode === null);
  }

  async stopChildren(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop(signal)));
    this.children = [];
  }

  async stop(): Promise<void> {
    await this.stopChildren();
    await this.standIn?.close();
    await this.s3Proxy?.close();
    await this.s3?.close();
    await this.pool?.end().catch(() => undefined);
    await this.reference?.end().catch(() => undefined);
    // The Redis is the run's own, but other files use it after this one: remove this prefix's keys only.
    const redis = createRedis(this.redis.url);
    try {
      for await (const keys of redis.scanStream({ match: `${this.prefix}:*`, count: 500 })) {
        if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
      }
    } finally {
      await redis.quit();
    }
    await this.postgres.dropDatabase(this.database);
    rmSync(this.fixturesDir, { recursive: true, force: true });
    rmSync(this.s3Dir, { recursive: true, force: true });
  }
}

/**
 * A test file's stack: started before its tests and stopped after them; each test starts without workers and with
 * empty data tables (the schema, calculation graph and schedules stay).
 */
export function useFaultStack(options: Parameters<FaultStack['start']>[0] = {}): FaultStack {
  const stack = new FaultStack();
  beforeAll(() => stack.start(options));
  afterAll(() => stack.stop());
  beforeEach(async () => {
    await stack.stopChildren();
    await resetData(stack.pool);
  });
  return stack;
}
