import { isAbsolute } from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { displayUrl, registerSecret, registerUrlCredentials } from './secret-masking.ts';
import { DEFAULT_MAX_FILE_BYTES } from './streams/byte-cap.ts';

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const share = z.coerce.number().min(0).max(1);

/** A comma-separated list; blanks around items and empty items are dropped. */
const list = (item: z.ZodString, what: string) =>
  z.string().default('').transform((value, ctx) => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const bad of items.filter((s) => !item.safeParse(s).success)) ctx.addIssue({ code: 'custom', message: `"${bad}" is not ${what}` });
    return items;
  });

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Express's "trust proxy": false (the default: the client is the TCP peer), true (trust every proxy), a number of
 * hops, or addresses, CIDR ranges and the names loopback, linklocal, uniquelocal, comma-separated.
 */
const trustProxy = z.string().default('false').transform((value, ctx): boolean | number | string[] => {
  const text = value.trim().toLowerCase();
  if (text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  const items = text.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !PROXY_NAMES.has(s) && !isIP(s.replace(/\/\d{1,3}$/, '')));
  if (bad.length === 0) return items;
  ctx.addIssue({ code: 'custom', message: 'false, true, a hop count, or addresses/CIDR ranges/loopback/linklocal/uniquelocal, comma-separated' });
  return z.NEVER;
});

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
  DASHBOARD_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  DASHBOARD_TRUST_PROXY: trustProxy,
  // Failed sign-ins before 429: per user name from one client (address, or IPv6 /64), and per client for any name.
  DASHBOARD_LOGIN_FAILURES_PER_USER_IP: z.coerce.number().int().min(1).default(10),
  DASHBOARD_LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  // Failed sign-ins per user name from anywhere before each sign-in as that user waits (0.25 s, doubling, up to the
  // cap); never a refusal, which anyone with enough addresses could use to keep the user locked out.
  DASHBOARD_LOGIN_FAILURES_PER_USER: z.coerce.number().int().min(1).default(10),
  DASHBOARD_LOGIN_SLOWDOWN_MAX_SECONDS: z.coerce.number().min(0).max(60).default(4),
  DASHBOARD_LOGIN_THROTTLE_MINUTES: z.coerce.number().positive().default(15),
  // Requests per minute one read-only API token may make to /api/v1 (429 with Retry-After past it).
  RESEARCH_API_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  SOURCE_DIR_ALLOWLIST: list(z.string().refine((p) => isAbsolute(p)), 'an absolute directory path'),
  SOURCE_S3_BUCKET_ALLOWLIST: list(z.string().regex(/^[a-z0-9][a-z0-9.-]{0,61}[a-z0-9]$|^[a-z0-9]$/), 'an S3 bucket name'),
  SOURCE_MAX_FILE_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_MAX_FILE_BYTES),
  // Every week FINRA's API holds (12 months current, four years historic: 261 weeks) x 3 tiers x 2 venue types is
  // 1,566 partitions; a request for ten years would be 3,120 chains and some 22,000 Redis keys in seconds.
  BACKFILL_MAX_PARTITIONS: z.coerce.number().int().min(1).default(1600),
});

export type Env = z.infer<typeof envSchema>;

const SECRET_KEYS = new Set(['S3_SECRET_ACCESS_KEY', 'FINRA_CLIENT_SECRET', 'DASHBOARD_ADMIN_PASSWORD', 'DASHBOARD_VIEWER_PASSWORD', 'ALERT_WEBHOOK_URL', 'DASHBOARD_SESSION_SECRET']);

// URLs that may carry credentials: echoed with the password masked, and their passwords registered for masking.
const URL_KEYS = new Set(['DATABASE_URL', 'REDIS_URL', 'S3_ENDPOINT', 'FINRA_BASE_URL', 'FINRA_TOKEN_URL']);

function shownValue(key: string, value: string | undefined): string {
  if (value === undefined || SECRET_KEYS.has(key)) return '';
  return ` (got ${JSON.stringify(URL_KEYS.has(key) ? displayUrl(value) : value)})`;
}

/**
 * Registers every secret of the environment with the masking of log lines and error messages, valid or not: a
 * process that fails on one variable may still print another (a connection error naming its URL, say).
 */
function registerEnvSecrets(source: NodeJS.ProcessEnv): void {
  for (const [key, value] of Object.entries(source)) {
    if (SECRET_KEYS.has(key)) registerSecret(value);
    else if (URL_KEYS.has(key)) registerUrlCredentials(value);
  }
}

/** Validates the environment against the platform schema. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(envSchema, source);
}

/**
 * Validates the environment against a schema (apps extend envSchema with their own variables). A ConfigError
 * names each bad variable and why, echoing the value only for non-secrets, URLs with their password masked. Empty
 * values count as unset.
 */
export function parseEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.output<S> {
  const emptyAsUnset = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  registerEnvSecrets(emptyAsUnset);
  const parsed = schema.safeParse(emptyAsUnset);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(env)');
    return `${key}: ${issue.message}${shownValue(key, source[key])}`;
  });
  throw new ConfigError(problems);
}
