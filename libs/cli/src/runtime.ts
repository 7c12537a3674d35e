import { CommanderError } from 'commander';
import type { Env, Logger, Pool } from '@spine/platform';
import { ConfigError, InputError } from '@spine/platform/errors';
import { maskSecrets } from '@spine/platform/secret-masking';

export interface Runtime {
  env: Env;
  logger: Logger;
  pool: Pool;
}

/** Loads configuration and opens the database pool for one command; the pool is closed when the command ends. */
export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  // The modules themselves, not the package's index: a command pays only for what it uses (the index loads the S3 client).
  const [{ loadEnv }, { createLogger }, { createPool }] = await Promise.all([
    import('@spine/platform/config'), import('@spine/platform/logger'), import('@spine/platform/db/pool'),
  ]);
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const pool = createPool(env.DATABASE_URL);
  try {
    return await fn({ env, logger, pool });
  } finally {
    await pool.end();
  }
}

/**
 * Maps any failure to one clear line on stderr and the exit code: 2 for bad input or configuration, 1 otherwise.
 * Everything printed passes through maskSecrets: a driver's message or a stack can quote a connection URL.
 */
export function reportFailure(error: unknown): number {
  const print = (text: string) => process.stderr.write(`${maskSecrets(text)}\n`);
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof InputError) {
    print(`error: ${error.message}`);
    return 2;
  }
  if (error instanceof ConfigError) {
    print(error.message);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  print(`error: ${message}${cause && !message.includes(cause) ? ` (caused by: ${cause})` : ''}`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) print(error.stack);
  return 1;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Resolves with the first SIGTERM or SIGINT. Called before a long-running process starts, so a signal that arrives
 * while it boots still stops it cleanly once it is up.
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

/** A --port style option: undefined when absent, a port number, or one clear InputError. */
export function parsePort(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`${flag} must be a port number, got "${text}"`);
  return port;
}
