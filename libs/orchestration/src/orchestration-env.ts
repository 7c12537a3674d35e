import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { envSchema, listEnv } from '@spine/platform/config';

/**
 * The variables of the queues and of what may be enqueued: retries (every producer writes them into the jobs it adds),
 * the source allow-lists and the largest backfill. Every process that enqueues or runs jobs reads them.
 */
export const orchestrationEnvShape = {
  FETCH_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  FETCH_BACKOFF_MS: z.coerce.number().int().min(0).default(5_000),
  // 12 attempts at 2 s doubling, capped at RETRY_BACKOFF_MAX_MS, wait about 4.5 minutes in all: long enough to ride out
  // a PostgreSQL or S3 restart. Data errors are not retried whatever this says (they fail with UnrecoverableError).
  STAGE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  STAGE_BACKOFF_MS: z.coerce.number().int().min(0).default(2_000),
  RETRY_BACKOFF_MAX_MS: z.coerce.number().int().min(0).default(30_000),
  SOURCE_DIR_ALLOWLIST: listEnv(z.string().refine((p) => isAbsolute(p)), 'an absolute directory path'),
  SOURCE_S3_BUCKET_ALLOWLIST: listEnv(z.string().regex(/^[a-z0-9][a-z0-9.-]{0,61}[a-z0-9]$|^[a-z0-9]$/), 'an S3 bucket name'),
  // Every week FINRA's API holds (12 months current, four years historic: 261 weeks) x 3 tiers x 2 venue types is
  // 1,566 partitions; a request for ten years would be 3,120 chains and some 22,000 Redis keys in seconds.
  BACKFILL_MAX_PARTITIONS: z.coerce.number().int().min(1).default(1600),
};

export const orchestrationEnvSchema = envSchema.extend(orchestrationEnvShape);
export type OrchestrationEnv = z.output<typeof orchestrationEnvSchema>;
