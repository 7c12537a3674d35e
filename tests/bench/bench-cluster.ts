import { join } from 'node:path';
import S3rver from 's3rver';
import { Queue } from 'bullmq';
import { createPool, parseEnv, type Pool } from '@spine/platform';
import { orchestrationEnvSchema } from '@spine/orchestration/orchestration-env';
import { batchProgress, createRedis, enqueueBatch, openQueues, QUEUES, type BatchProgress, type RequestedWeek } from '@spine/orchestration';
import { spawnWorker } from '@spine/cli/spawn-spine';
import { datasets } from '@spine/datasets';
import { benchDatabase } from './bench-database.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The S3 stand-in the workers upload raw files to (bucket bench-raw), its files under `dir`. */
export async function startBenchS3(dir: string): Promise<{ port: number; close(): Promise<void> }> {
  const port = 45000 + (process.pid % 1000);
  const s3 = new S3rver({ port, address: '127.0.0.1', silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'bench-raw', configs: [] }] });
  await s3.run();
  return { port, close: () => s3.close() };
}

export interface BenchCluster {
  /** What a `spine` process of this cluster is started with (database, Redis prefix, S3). */
  envVars: NodeJS.ProcessEnv;
  pool: Pool;
  /** Enqueues one batch of `weeks` from the directory source and waits for its end, calling `onTick` every half second. */
  runBatch(weeks: RequestedWeek[], onTick?: () => Promise<void>): Promise<{ seconds: number; progress: BatchProgress }>;
  /** Stops the workers, empties the queue prefix and drops the database (unless `keepDatabase`: it prints its URL). */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * A fresh migrated database, a queue prefix of its own and `workers` real `spine worker` processes reading week files
 * from the directory `fixtures`.
 */
export async function startBenchCluster(label: string, options: { s3Port: number; fixtures: string; workers: number }): Promise<BenchCluster> {
  const db = await benchDatabase(label);
  const envVars: NodeJS.ProcessEnv = {
    ...process.env, DATABASE_URL: db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: `bench-${process.pid}-${label}`,
    S3_ENDPOINT: `http://127.0.0.1:${options.s3Port}`, S3_BUCKET: 'bench-raw', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER',
    WORKER_HEALTH_PORT: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', SOURCE_DIR_ALLOWLIST: options.fixtures,
  };
  const env = parseEnv(orchestrationEnvSchema, envVars);
  const pool = createPool(env.DATABASE_URL, 4);
  const workers = await Promise.all(Array.from({ length: options.workers }, () => spawnWorker(envVars)));
  const queues = openQueues(env, pool, datasets);
  return {
    envVars,
    pool,
    async runBatch(weeks, onTick) {
      const started = performance.now();
      const batch = await enqueueBatch(queues, { kind: 'backfill', weeks, source: `dir:${options.fixtures}`, force: false, maxRejectShare: 0.05 });
      for (;;) {
        const progress = (await batchProgress(pool, batch.batch_id!, queues))!;
        if (progress.ended) return { seconds: (performance.now() - started) / 1000, progress };
        await onTick?.();
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async stop(stopOptions) {
      await Promise.all(workers.map((w) => w.stop('SIGTERM')));
      const connection = createRedis(redisUrl);
      for (const name of Object.values(QUEUES)) {
        const q = new Queue(name, { connection, prefix: env.QUEUE_PREFIX });
        await q.obliterate({ force: true });
        await q.close();
      }
      await connection.quit();
      await queues.close();
      await pool.end();
      if (stopOptions?.keepDatabase) console.log(`kept the database: ${db.url}`);
      else await db.drop();
    },
  };
}
