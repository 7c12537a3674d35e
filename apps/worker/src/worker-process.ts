import { Queue, Worker } from 'bullmq';
import type { Server } from 'node:http';
import { createLogger, createPool, createS3Client, loadCalcGraph, RawStore, startHealthServer, workerIdentity, type Env } from '@spine/platform';
import { createSource, finraApiOptionsFromEnv } from '@spine/finra-source';
import { DOMAIN } from '@spine/otc';
import { createRedis, processorFor, QUEUES, type QueueRole, type WorkerDeps } from '@spine/orchestration';
import { createWorkerMetrics } from './metrics.ts';
import { recordFinalFailure } from '@spine/orchestration';


export interface WorkerOptions {
  roles: QueueRole[];
  concurrency?: Partial<Record<QueueRole, number>>;
  healthPort?: number;
}

export interface WorkerHandle {
  healthPort: number;
  /** Drains: readiness flips, no new jobs are taken, active ones finish or are handed back at the deadline. */
  shutdown(reason: string): Promise<void>;
}

/**
 * One worker process: BullMQ workers for the chosen queues (each with its own concurrency), sharing one
 * PostgreSQL pool, S3 client and Redis connection, plus the health and metrics port.
 */
export async function startWorkerProcess(env: Env, options: WorkerOptions): Promise<WorkerHandle> {
  const logger = createLogger(env.LOG_LEVEL, 'worker');
  const concurrency = { fetch: env.WORKER_FETCH_CONCURRENCY, stage: env.WORKER_STAGE_CONCURRENCY, ...options.concurrency };
  const pool = createPool(env.DATABASE_URL, concurrency.stage * 2 + concurrency.fetch + 2);
  const s3 = createS3Client({ endpoint: env.S3_ENDPOINT, region: env.S3_REGION, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY });
  const finraApi = finraApiOptionsFromEnv(process.env);
  const connection = createRedis(env.REDIS_URL);
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection, prefix: env.QUEUE_PREFIX }));
  const metrics = createWorkerMetrics(queues);
  const stageQueue = queues.find((q) => q.name === QUEUES.stage)!;
  const deps: WorkerDeps = {
    pool, rawStore: new RawStore(s3, env.S3_BUCKET), graph: await loadCalcGraph(pool, DOMAIN), logger,
    openSource: (spec) => createSource(spec, { finraApi, s3Client: s3 }), metrics,
  };
  if (deps.graph.length === 0) throw new Error('the calculation graph is empty: run `spine db migrate` first');

  const workerConnections = options.roles.map(() => createRedis(env.REDIS_URL));
  const workers = options.roles.map((role, i) => {
    const worker = new Worker(QUEUES[role], processorFor(role, deps), {
      connection: workerConnections[i]!, prefix: env.QUEUE_PREFIX, concurrency: concurrency[role],
      lockDuration: env.WORKER_LOCK_MS, stalledInterval: Math.max(1000, Math.floor(env.WORKER_LOCK_MS / 2)),
      maxStalledCount: 2, name: workerIdentity(), metrics: { maxDataPoints: 60 * 24 * 7 },
    });
    worker.on('completed', (job) => {
      metrics.jobs.inc({ queue: QUEUES[role], state: 'completed' });
      logger.debug({ job: job.id }, 'job completed');
    });
    worker.on('failed', (job, error) => {
      metrics.jobs.inc({ queue: QUEUES[role], state: 'failed' });
      const final = job ? job.attemptsMade >= (job.opts.attempts ?? 1) : false;
      logger[final ? 'error' : 'warn']({ job: job?.id, attempt: job?.attemptsMade, final, err: error.message }, final ? 'job failed for good' : 'job failed, will retry');
      if (final && job) recordFinalFailure(pool, stageQueue, job.name, job.data, error.message).catch((e: Error) => logger.error({ err: e.message, job: job.id }, 'could not record the failure'));
    });
    worker.on('error', (error) => logger.error({ err: error.message, queue: QUEUES[role] }, 'worker error'));
    return worker;
  });

  let ready = true;
  const health: Server = await startHealthServer(options.healthPort ?? env.WORKER_HEALTH_PORT, metrics.registry, () => ready);
  const address = health.address();
  const healthPort = typeof address === 'object' && address ? address.port : 0;
  logger.info({ queues: options.roles.map((r) => QUEUES[r]), concurrency, healthPort, prefix: env.QUEUE_PREFIX }, 'worker started');

  let closing: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    closing ??= (async () => {
      ready = false;
      logger.info({ reason, deadline_ms: env.WORKER_SHUTDOWN_MS }, 'draining: no new jobs, waiting for active ones');
      const drained = Promise.all(workers.map((w) => w.close()));
      const deadline = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), env.WORKER_SHUTDOWN_MS).unref());
      if ((await Promise.race([drained, deadline])) === 'deadline') {
        logger.warn('deadline reached: handing active jobs back to the queue');
        await Promise.all(workers.map((w) => w.close(true)));
      }
      await Promise.all(queues.map((q) => q.close()));
      // BullMQ does not close connections it was handed; left open they would keep the process alive.
      await Promise.all([connection, ...workerConnections].map((c) => c.quit()));
      await pool.end();
      await new Promise<void>((resolve) => health.close(() => resolve()));
      logger.info('worker stopped');
    })();
    return closing;
  };
  return { healthPort, shutdown };
}
