import { Queue, Worker } from 'bullmq';
import type { Server } from 'node:http';
import {
  createLogger, createPool, createS3Client, dbTimeoutsFromEnv, ensureAbortMultipartRule, loadCalcGraph, RawStore, s3SettingsFromEnv,
  startHealthServer, sweepOrphanSpools, sweepStaleSpools, trackCheckedOutClients, workerIdentity, type CalcNode, type DatasetRegistry, type Logger, type Pool,
} from '@spine/platform';
import { sourceAllowListFromEnv, sourceCatalog } from '@spine/finra-source';
import { finraApiOptionsFromProcessEnv } from '@spine/finra-source/finra-env';
import type { WorkerEnv } from './worker-env.ts';
import { datasets as releaseDatasets, migrationDirs } from '@spine/datasets';
import { syncDatasetCalculations } from '@spine/platform/calcs/dataset-calculations';
import {
  ActiveJobs, cappedBackoffStrategy, createRedis, decideFailure, EXIT_SHUTDOWN_FORCED, jobErrorFields, LEGACY_QUEUES, LegacyQueues, processorFor, QUEUES, recordFinalFailureDurably,
  retrySpanMs, settlesWithin, SHUTDOWN_CLOSE_MS, shutdownTimes, stopWorkers, type QueueRole, type RoleQueues, type WorkerDeps,
} from '@spine/orchestration';
import { publisherReachability, workerPreflight } from '@spine/orchestration/worker-preflight';
import type { S3Client } from '@aws-sdk/client-s3';
import { createWorkerMetrics } from './metrics.ts';

/** Every registered dataset's calculation graph, as the database holds it. */
async function loadGraphs(pool: Pool, datasets: DatasetRegistry): Promise<Map<string, CalcNode[]>> {
  return new Map(await Promise.all(datasets.list().map(async (d) => [d.name, await loadCalcGraph(pool, d.name)] as const)));
}

export interface WorkerOptions {
  roles: QueueRole[];
  concurrency?: Partial<Record<QueueRole, number>>;
  healthPort?: number;
  /** The datasets it runs: this release's registry unless given (a test's own dataset beside them). */
  datasets?: DatasetRegistry;
}

export interface WorkerHandle {
  healthPort: number;
  /**
   * Drains within WORKER_SHUTDOWN_MS: readiness flips, no new jobs are taken, active ones finish or are handed back
   * to the queue, then the connections close (SHUTDOWN_CLOSE_MS at most). Resolves with the exit code: 0 when
   * every job finished or was handed back and everything closed, EXIT_SHUTDOWN_FORCED when something was left.
   */
  shutdown(reason: string): Promise<number>;
  /** The jobs still running or not yet handed back: what a process ending now abandons. */
  activeJobs(): string[];
}

/**
 * One worker process: BullMQ workers for the chosen queues (each with its own concurrency), sharing one
 * PostgreSQL pool, S3 client and Redis connection, plus the health and metrics port.
 */
export async function startWorkerProcess(env: WorkerEnv, options: WorkerOptions): Promise<WorkerHandle> {
  const logger = createLogger(env.LOG_LEVEL, 'worker');
  const datasets = options.datasets ?? releaseDatasets;
  const concurrency = { fetch: env.WORKER_FETCH_CONCURRENCY, stage: env.WORKER_STAGE_CONCURRENCY, ...options.concurrency };
  const pool = createPool(env.DATABASE_URL, concurrency.stage * 2 + concurrency.fetch + 2, {
    timeouts: dbTimeoutsFromEnv(env),
    onConnectionError: (error) => logger.warn({ err: error.message }, 'PostgreSQL connection error; queries in flight fail and are retried'),
  });
  const checkedOut = trackCheckedOutClients(pool);
  const s3 = createS3Client(s3SettingsFromEnv(env));
  // A setting every job would trip on (the schema, S3 credentials or bucket) is refused here, naming the setting.
  for (const warning of await workerPreflight({ pool, s3, bucket: env.S3_BUCKET, migrationDirs: migrationDirs(datasets) })) logger.warn({ check: 'start-up' }, warning);
  // Specs that disagree with the database's graph stop the worker here (CalcSpecMismatchError), before any job.
  for (const dataset of datasets.list()) {
    const calculations = await dataset.loadCalculations?.();
    if (!calculations) continue;
    const synced = await syncDatasetCalculations(pool, dataset.name, calculations);
    logger.info({ check: 'start-up', dataset: dataset.name, ...synced }, 'calculation specs checked against the graph and synced');
  }
  await prepareScratchAndBucket(s3, env.S3_BUCKET, logger);
  const sources = sourceCatalog({ allow: sourceAllowListFromEnv(env), finraApi: finraApiOptionsFromProcessEnv(), s3Client: s3, maxFileBytes: env.SOURCE_MAX_FILE_BYTES });
  if (options.roles.includes('fetch')) void publisherReachability(pool, datasets.first, sources).then((warning) => warning && logger.warn({ check: 'start-up' }, warning));
  const connection = createRedis(env.REDIS_URL);
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection, prefix: env.QUEUE_PREFIX }));
  const metrics = createWorkerMetrics(queues, datasets);
  const legacy = LegacyQueues.open(connection, env.QUEUE_PREFIX);
  const roleQueues: RoleQueues = { fetchQueue: queues.find((q) => q.name === QUEUES.fetch)!, stageQueue: queues.find((q) => q.name === QUEUES.stage)!, legacy };
  const deps: WorkerDeps = {
    pool, rawStore: new RawStore(s3, env.S3_BUCKET, env.SOURCE_MAX_FILE_BYTES), datasets, graphs: await loadGraphs(pool, datasets), logger, sources, metrics,
    limits: { deadlineMs: env.JOB_DEADLINE_MS, stage: { statementMs: env.STAGE_STATEMENT_TIMEOUT_MS, lockMs: env.STAGE_LOCK_TIMEOUT_MS } },
  };
  // Final failures still being recorded (PostgreSQL may be down); shutdown waits for them, then leaves the rest
  // to the reconciler.
  const recording = new Set<Promise<void>>();
  const stopRecording = new AbortController();
  for (const [name, graph] of deps.graphs) {
    if (graph.length === 0) throw new Error(`the calculation graph of dataset ${name} is empty: run \`spine db migrate\` first`);
  }

  // Each role's queue, and its earlier name's (LEGACY_QUEUES) one job at a time for what an earlier release left there.
  const served = options.roles.flatMap((role) => [{ role, name: QUEUES[role], concurrency: concurrency[role] }, { role, name: LEGACY_QUEUES[role], concurrency: 1 }]);
  const workerConnections = served.map(() => createRedis(env.REDIS_URL));
  const jobs = new ActiveJobs();
  const workers = served.map(({ role, name, concurrency: slots }, i) => {
    const worker = new Worker(name, processorFor(role, deps, jobs), {
      connection: workerConnections[i]!, prefix: env.QUEUE_PREFIX, concurrency: slots,
      lockDuration: env.WORKER_LOCK_MS, stalledInterval: Math.max(1000, Math.floor(env.WORKER_LOCK_MS / 2)),
      maxStalledCount: 2, name: workerIdentity(), metrics: { maxDataPoints: 60 * 24 * 7 },
      settings: { backoffStrategy: cappedBackoffStrategy(env.RETRY_BACKOFF_MAX_MS) },
    });
    worker.on('completed', (job) => {
      metrics.jobs.inc({ queue: name, state: 'completed' });
      logger.debug({ job: job.id }, 'job completed');
      sweepAfterJob(logger);
    });
    worker.on('failed', (job, error) => {
      metrics.jobs.inc({ queue: name, state: 'failed' });
      sweepAfterJob(logger);
      if (!job) return logger.error({ err: error.message }, 'a job failed and BullMQ did not say which');
      const done = (async () => {
        const state = await job.getState();
        const verdict = decideFailure({ error, attemptsMade: job.attemptsMade, attempts: job.opts.attempts, state });
        const fields = { job: job.id, attempt: job.attemptsMade, state, cause: verdict.cause, ...jobErrorFields(error), err: error.message };
        if (!verdict.final) return logger.warn(fields, 'job failed, will retry');
        logger.error(fields, 'job failed for good');
        await recordFinalFailureDurably(pool, roleQueues, datasets, job, error.message, { logger, signal: stopRecording.signal, maxDelayMs: env.RETRY_BACKOFF_MAX_MS });
      })().catch((e: Error) => logger.error({ err: e.message, job: job.id }, 'could not record the final failure; the reconciler will'));
      recording.add(done);
      void done.finally(() => recording.delete(done));
    });
    worker.on('error', (error) => logger.error({ err: error.message, queue: name }, 'worker error'));
    return worker;
  });

  let ready = true;
  const health: Server = await startHealthServer(options.healthPort ?? env.WORKER_HEALTH_PORT, metrics.registry, () => ready);
  const address = health.address();
  const healthPort = typeof address === 'object' && address ? address.port : 0;
  logger.info({
    queues: served.map((s) => s.name), concurrency, healthPort, prefix: env.QUEUE_PREFIX, job_deadline_ms: env.JOB_DEADLINE_MS,
    stage_retry_span_ms: retrySpanMs(env.STAGE_ATTEMPTS, env.STAGE_BACKOFF_MS, env.RETRY_BACKOFF_MAX_MS),
  }, 'worker started');

  let closing: Promise<number> | undefined;
  const shutdown = (reason: string): Promise<number> => {
    closing ??= (async () => {
      ready = false;
      const times = shutdownTimes(env.WORKER_SHUTDOWN_MS);
      const stopBy = Date.now() + times.stopByMs;
      logger.info({ reason, deadline_ms: env.WORKER_SHUTDOWN_MS, hand_back_at_ms: times.handBackAtMs }, 'draining: no new jobs, waiting for active ones');
      const stopped = await stopWorkers(workers, jobs, { times, logger });
      // Final failures are recorded in the rest of the budget; what is left, the reconciler records.
      if (!(await settlesWithin(Promise.all([...recording]), stopBy - Date.now()))) {
        logger.warn({ pending: recording.size }, 'final failures not yet recorded at shutdown; the reconciler will record them');
        stopRecording.abort(new Error('worker shutting down'));
      }
      const closed = await settlesWithin(closeConnections().catch((error: Error) => logger.error({ err: error.message }, 'could not close the connections')), SHUTDOWN_CLOSE_MS);
      if (!closed) logger.error({ within_ms: SHUTDOWN_CLOSE_MS }, 'connections did not close in time');
      const clean = stopped.closed && stopped.abandoned.length === 0 && closed;
      logger.info({ exit_code: clean ? 0 : EXIT_SHUTDOWN_FORCED }, 'worker stopped');
      return clean ? 0 : EXIT_SHUTDOWN_FORCED;
    })();
    return closing;
  };

  /**
   * Closes without waiting on a server that does not answer: Redis connections are dropped (a quit() waits for its
   * reply), S3 sockets a hung request still holds are destroyed, and the PostgreSQL sessions still checked out
   * (work that ignored its signal, a query waiting for a lock) are ended, since pool.end() waits for them.
   */
  async function closeConnections(): Promise<void> {
    await settlesWithin(Promise.all([...queues.map((q) => q.close()), legacy.close()]), SHUTDOWN_CLOSE_MS / 2);
    // BullMQ does not close connections it was handed; left open they would keep the process alive.
    for (const c of [connection, ...workerConnections]) c.disconnect();
    s3.destroy();
    health.closeAllConnections();
    const ended = await checkedOut.endBackends().catch((error: Error) => logger.warn({ err: error.message }, 'could not end the remaining PostgreSQL sessions'));
    if (ended) logger.warn({ ended }, 'ended the PostgreSQL sessions work still held');
    await pool.end();
    await new Promise<void>((resolve) => health.close(() => resolve()));
  }
  return { healthPort, shutdown, activeJobs: () => jobs.ids() };
}

/**
 * Start-up housekeeping: spool files left by a process that died, and the bucket's rule that aborts multipart
 * uploads a crash cut off. A server without lifecycle support (s3rver) or a role without the permission is logged
 * and does not stop the worker: uploads work without the rule.
 */
async function prepareScratchAndBucket(s3: S3Client, bucket: string, logger: Logger): Promise<void> {
  const removed = await sweepStaleSpools();
  if (removed.length) logger.info({ removed }, 'removed spool files left by stopped processes');
  try {
    const outcome = await ensureAbortMultipartRule(s3, bucket);
    if (outcome === 'unsupported') logger.warn({ bucket }, 'the S3 server does not support lifecycle rules; incomplete multipart uploads are not aborted automatically');
    else logger.info({ bucket, outcome }, 'abort-incomplete-multipart lifecycle rule');
  } catch (error) {
    logger.warn({ bucket, err: (error as Error).message }, 'could not set the abort-incomplete-multipart lifecycle rule');
  }
}

/** Spool files a finished job did not release (it failed mid-stream) are removed after each job. */
function sweepAfterJob(logger: Logger): void {
  sweepOrphanSpools()
    .then((removed) => removed.length && logger.warn({ removed }, 'removed spool files a finished job left behind'))
    .catch((error: Error) => logger.error({ err: error.message }, 'could not sweep spool files'));
}
