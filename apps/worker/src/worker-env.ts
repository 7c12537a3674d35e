import * as z from 'zod';
import { finraEnvShape } from '@spine/finra-source/finra-env';
import { orchestrationEnvSchema } from '@spine/orchestration/orchestration-env';

/** The worker's own variables: which queues and how many jobs at once, its health port, locks, deadline and shutdown. */
export const workerEnvShape = {
  WORKER_QUEUES: z.string().regex(/^(fetch|stage)(,(fetch|stage))*$/, 'a comma-separated list of: fetch, stage').default('fetch,stage'),
  WORKER_FETCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WORKER_STAGE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  WORKER_SHUTDOWN_MS: z.coerce.number().int().min(0).default(25_000),
  JOB_DEADLINE_MS: z.coerce.number().int().min(1000).default(1_800_000),
};

/** What a worker process reads: the shared variables, the queues', FINRA's (fetch jobs) and its own. */
export const workerEnvSchema = orchestrationEnvSchema.extend({ ...finraEnvShape, ...workerEnvShape });
export type WorkerEnv = z.output<typeof workerEnvSchema>;
