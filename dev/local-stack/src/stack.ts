import { StackError } from './errors.ts';
import { stderrLog, type Log } from './log.ts';
import { resolveStateDir } from './paths.ts';
import { parsePort } from './port-probe.ts';
import { DEFAULT_PG_PORT, ensurePostgres } from './postgres.ts';
import { pidMatches, runCommand, terminate, waitForExit } from './proc.ts';
import { DEFAULT_REDIS_PORT, ensureRedis } from './redis.ts';
import { DEFAULT_S3_PORT, ensureS3 } from './s3.ts';
import type { ServiceContext, ServiceOutcome } from './service.ts';
import { StateFile, type StartedEntry } from './state-file.ts';

export interface StackOptions {
  /** Environment to read DATABASE_URL, REDIS_URL, S3_* from (default process.env). Never modified. */
  env?: NodeJS.ProcessEnv;
  /** Directory for state.json, pidfiles, logs and s3rver data (default: env SPINE_STACK_DIR, else <repo>/.stack). */
  stateDir?: string;
  /** Loopback port to look for / start PostgreSQL on (default 5432). */
  postgresPort?: number;
  /** Loopback port to look for / start Redis on (default 6379). */
  redisPort?: number;
  /** Loopback port to look for / start s3rver on (default: env S3_PORT, else 4569). */
  s3Port?: number;
  /** Apply database migrations (default true). */
  migrate?: boolean;
  /** Allow `apt-get install` of missing servers when running as root (default true). */
  allowInstall?: boolean;
  /** Progress lines (default: stderr). */
  log?: Log;
}

/** The variables the rest of the system reads, in the order they are printed. */
export const ENV_KEYS = [
  'DATABASE_URL',
  'REDIS_URL',
  'S3_ENDPOINT',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
] as const;
export type StackEnvKey = (typeof ENV_KEYS)[number];

export interface StackResult {
  /** The environment the stack settled on (DATABASE_URL, REDIS_URL, S3_*). */
  env: Record<StackEnvKey, string>;
  /** Services this call started ('postgres' | 'redis' | 's3'); empty when everything was already there. */
  started: string[];
  /** How each service was settled. */
  services: ServiceOutcome[];
  stateDir: string;
}

/**
 * Makes PostgreSQL (database + migrations), Redis and an S3 endpoint (+ bucket) available, using env vars, servers
 * already answering on the standard loopback ports, or servers it starts (recorded in <stateDir>/state.json).
 * Idempotent: a second call finds what the first started and returns the same env.
 */
export async function ensureStack(options: StackOptions = {}): Promise<StackResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const stateDir = resolveStateDir(options.stateDir, env);
  let ports: { postgres: number; redis: number; s3: number };
  try {
    ports = {
      postgres: parsePort(options.postgresPort, 'postgresPort', DEFAULT_PG_PORT),
      redis: parsePort(options.redisPort, 'redisPort', DEFAULT_REDIS_PORT),
      s3: parsePort(options.s3Port ?? env.S3_PORT, 'S3_PORT', DEFAULT_S3_PORT),
    };
  } catch (err) {
    throw new StackError('stack', (err as Error).message);
  }
  const state = new StateFile(stateDir);
  const ctx: ServiceContext = { env, stateDir, state, log, install: { allowInstall: options.allowInstall ?? true, log } };

  for (const gone of await state.prune()) log(`stack: forgetting ${gone.description} (pid ${gone.pid}): no longer running`);

  const postgres = await ensurePostgres(ctx, ports.postgres, { migrate: options.migrate ?? true });
  const redis = await ensureRedis(ctx, ports.redis);
  const s3 = await ensureS3(ctx, ports.s3);

  const services = [postgres, redis, s3].map(({ service, source, location, detail }) => ({ service, source, location, detail }));
  return {
    env: {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      S3_ENDPOINT: s3.settings.endpoint,
      S3_BUCKET: s3.settings.bucket,
      S3_REGION: s3.settings.region,
      S3_ACCESS_KEY_ID: s3.settings.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.settings.secretAccessKey,
    },
    started: services.filter((s) => s.source === 'started').map((s) => s.service),
    services,
    stateDir,
  };
}

export interface StopOptions {
  env?: NodeJS.ProcessEnv;
  stateDir?: string;
  log?: Log;
}

export interface StopResult {
  /** Descriptions of the servers that were stopped. */
  stopped: string[];
  /** Recorded servers that were no longer running (forgotten). */
  alreadyGone: string[];
}

/** Stops exactly the servers recorded in <stateDir>/state.json (newest first) and clears them from it. */
export async function stopStack(options: StopOptions = {}): Promise<StopResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const state = new StateFile(resolveStateDir(options.stateDir, env));
  const { started } = await state.read();
  const result: StopResult = { stopped: [], alreadyGone: [] };
  if (started.length === 0) {
    log(`stack: nothing to stop (${state.file} records no servers started by npm run stack)`);
    return result;
  }
  const failures: Error[] = [];
  for (const entry of [...started].reverse()) {
    try {
      const how = await stopEntry(entry);
      if (how === 'not running') {
        result.alreadyGone.push(entry.description);
        log(`stack: ${entry.description} (pid ${entry.pid}) was no longer running`);
      } else {
        result.stopped.push(entry.description);
        log(`stack: stopped ${entry.description} (pid ${entry.pid}${how === 'killed' ? ', had to SIGKILL' : ''})`);
      }
      await state.remove(entry.pid);
    } catch (err) {
      failures.push(new StackError(entry.service, `could not stop ${entry.description} (pid ${entry.pid}); it stays in ${state.file}`, { cause: err }));
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} servers could not be stopped`);
  return result;
}

async function stopEntry(entry: StartedEntry): Promise<'stopped' | 'killed' | 'not running'> {
  if (!pidMatches(entry.pid, entry.match)) return 'not running';
  if (entry.stopCommand && entry.stopCommand.length > 0) {
    const [file, ...args] = entry.stopCommand as [string, ...string[]];
    await runCommand(file, args, { timeoutMs: 60_000 });
    if (await waitForExit(entry.pid, 30_000)) return 'stopped';
    throw new Error(`\`${entry.stopCommand.join(' ')}\` returned but pid ${entry.pid} is still running`);
  }
  const how = await terminate(entry.pid);
  return how === 'terminated' ? 'stopped' : how;
}
