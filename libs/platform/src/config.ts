import { z } from 'zod';
import { ConfigError } from './errors.ts';

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const share = z.coerce.number().min(0).max(1);

/** Every environment variable the system reads, with local-stack defaults. Secrets are listed in SECRET_KEYS. */
export const envSchema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/spine'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, :, _ and - only').default('spine'),
  S3_ENDPOINT: url(['http:', 'https:']).optional(),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name').default('spine-raw'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  FINRA_BASE_URL: url(['http:', 'https:']).default('https://api.finra.org'),
  FINRA_TOKEN_URL: url(['http:', 'https:']).optional(),
  FINRA_CLIENT_ID: z.string().min(1).optional(),
  FINRA_CLIENT_SECRET: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUALITY_MAX_REJECT_SHARE: share.default(0.05),
  WORKER_QUEUES: z.string().regex(/^(fetch|stage)(,(fetch|stage))*$/, 'a comma-separated list of: fetch, stage').default('fetch,stage'),
  WORKER_FETCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WORKER_STAGE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  WORKER_SHUTDOWN_MS: z.coerce.number().int().min(0).default(25_000),
  FETCH_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  FETCH_BACKOFF_MS: z.coerce.number().int().min(0).default(5_000),
  // 12 attempts at 2 s doubling, capped at RETRY_BACKOFF_MAX_MS, wait about 4.5 minutes in all: long enough to ride out
  // a PostgreSQL or S3 restart. Data errors are not retried whatever this says (they fail with UnrecoverableError).
  STAGE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  STAGE_BACKOFF_MS: z.coerce.number().int().min(0).default(2_000),
  RETRY_BACKOFF_MAX_MS: z.coerce.number().int().min(0).default(30_000),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  STAGE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(900_000),
  STAGE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(300_000),
  JOB_DEADLINE_MS: z.coerce.number().int().min(1000).default(1_800_000),
  S3_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
  S3_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  S3_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  RECONCILE_ON_TICK: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  SCHEDULER_CRON: z.string().min(9, 'a cron expression such as "* * * * *"').default('* * * * *'),
  SCHEDULER_LEASE_TTL_MS: z.coerce.number().int().min(1000).default(90_000),
  SCHEDULER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  REVISION_CHECK_HOURS: z.coerce.number().min(0).default(24),
  ALERT_WEBHOOK_URL: url(['http:', 'https:']).optional(),
  DASHBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DASHBOARD_HOST: z.string().min(1).default('0.0.0.0'),
  DASHBOARD_ADMIN_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  DASHBOARD_VIEWER_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  DASHBOARD_SESSION_SECRET: z.string().min(16, 'at least 16 characters').optional(),
});

export type Env = z.infer<typeof envSchema>;

const SECRET_KEYS = new Set(['S3_SECRET_ACCESS_KEY', 'FINRA_CLIENT_SECRET', 'DASHBOARD_ADMIN_PASSWORD', 'DASHBOARD_VIEWER_PASSWORD', 'ALERT_WEBHOOK_URL', 'DASHBOARD_SESSION_SECRET']);

/** Validates the environment against the platform schema. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(envSchema, source);
}

/**
 * Validates the environment against a schema (apps extend envSchema with their own variables). A ConfigError
 * names each bad variable and why, echoing the value only for non-secrets. Empty values count as unset.
 */
export function parseEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.output<S> {
  const emptyAsUnset = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(emptyAsUnset);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(env)');
    const shown = SECRET_KEYS.has(key) || source[key] === undefined ? '' : ` (got ${JSON.stringify(source[key])})`;
    return `${key}: ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}
