import * as z from 'zod';
import { ConfigError } from './errors.ts';
import { displayUrl, registerSecret, registerUrlCredentials } from './secret-masking.ts';
import { DEFAULT_MAX_FILE_BYTES } from './streams/byte-cap.ts';

/** What an environment variable holds when it is not plain: a secret (never echoed) or a URL that may carry credentials. */
type EnvValueKind = { kind: 'secret' | 'url' };
const envValueKinds = z.registry<EnvValueKind, z.ZodType>();

/** A secret: never echoed in an error, and masked in every log line and message once read. */
export function secretEnv<T extends z.ZodType>(schema: T): T {
  envValueKinds.add(schema, { kind: 'secret' });
  return schema;
}

/** A URL variable of the given protocols; echoed with its password masked, which is registered for masking. */
export function urlEnv(protocols: string[]) {
  return z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
}

/** Marks a URL variable (urlEnv, with its default or optional) as one that may carry credentials. */
export function credentialUrlEnv<T extends z.ZodType>(schema: T): T {
  envValueKinds.add(schema, { kind: 'url' });
  return schema;
}

export const shareEnv = z.coerce.number().min(0).max(1);

/** A comma-separated list; blanks around items and empty items are dropped. */
export const listEnv = (item: z.ZodString, what: string) =>
  z.string().default('').transform((value, ctx) => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const bad of items.filter((s) => !item.safeParse(s).success)) ctx.addIssue({ code: 'custom', message: `"${bad}" is not ${what}` });
    return items;
  });

/**
 * The variables every process shares (PostgreSQL, Redis and the queue prefix, S3, logging, the quality gate, the
 * stage and connection limits), with local-stack defaults. Each package validates the variables it reads in a schema
 * of its own (FINRA's in @spine/finra-source, the queues' in @spine/orchestration, each app's in the app), and a
 * process validates the union of what it reads at start-up (the CLI: every package's).
 */
export const envSchema = z.object({
  DATABASE_URL: credentialUrlEnv(urlEnv(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/spine')),
  REDIS_URL: credentialUrlEnv(urlEnv(['redis:', 'rediss:']).default('redis://127.0.0.1:6379')),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, :, _ and - only').default('spine'),
  S3_ENDPOINT: credentialUrlEnv(urlEnv(['http:', 'https:']).optional()),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name').default('spine-raw'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: secretEnv(z.string().min(1).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUALITY_MAX_REJECT_SHARE: shareEnv.default(0.05),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  STAGE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(900_000),
  STAGE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(300_000),
  S3_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
  S3_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  S3_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  SOURCE_MAX_FILE_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_MAX_FILE_BYTES),
});

export type Env = z.infer<typeof envSchema>;

function kindOf(schema: z.ZodObject, key: string): EnvValueKind['kind'] | undefined {
  const field = schema.shape[key];
  return field === undefined ? undefined : envValueKinds.get(field)?.kind;
}

function shownValue(schema: z.ZodObject, key: string, value: string | undefined): string {
  const kind = kindOf(schema, key);
  if (value === undefined || kind === 'secret') return '';
  return ` (got ${JSON.stringify(kind === 'url' ? displayUrl(value) : value)})`;
}

/**
 * Registers every secret the schema knows of with the masking of log lines and error messages, valid or not: a
 * process that fails on one variable may still print another (a connection error naming its URL, say).
 */
function registerEnvSecrets(schema: z.ZodObject, source: NodeJS.ProcessEnv): void {
  for (const [key, value] of Object.entries(source)) {
    const kind = kindOf(schema, key);
    if (kind === 'secret') registerSecret(value);
    else if (kind === 'url') registerUrlCredentials(value);
  }
}

/** Validates the shared variables (envSchema). */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(envSchema, source);
}

/**
 * Validates the environment against a schema: envSchema extended with the variables of the packages a process runs
 * (`envSchema.extend({ ...dashboardEnvShape })`). A ConfigError names each bad variable and why, one line each,
 * echoing the value only for non-secrets, URLs with their password masked (secretEnv, credentialUrlEnv). Empty values
 * count as unset.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, source: NodeJS.ProcessEnv = process.env): z.output<S> {
  const emptyAsUnset = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  registerEnvSecrets(schema, emptyAsUnset);
  const parsed = schema.safeParse(emptyAsUnset);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(env)');
    return `${key}: ${issue.message}${shownValue(schema, key, source[key])}`;
  });
  throw new ConfigError(problems);
}
