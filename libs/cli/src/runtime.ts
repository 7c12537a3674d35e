import { CommanderError } from 'commander';
import type { DatasetDefinition, DatasetRegistry, Logger, Pool } from '@spine/platform';
import type { CliEnv } from './cli-env.ts';
import { ConfigError, InputError } from '@spine/platform/errors';
import { maskSecrets } from '@spine/platform/secret-masking';

export interface Runtime {
  env: CliEnv;
  logger: Logger;
  pool: Pool;
}

/** Loads configuration and opens the database pool for one command; the pool is closed when the command ends. */
export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  // The modules themselves, not the package's index: a command pays only for what it uses (the index loads the S3 client).
  const [{ loadCliEnv }, { createLogger }, { createPool }] = await Promise.all([
    import('./cli-env.ts'), import('@spine/platform/logger'), import('@spine/platform/db/pool'),
  ]);
  // Under Node 20 the AWS SDK warns on every start that its 2027 releases need Node 22: news for whoever runs a
  // service (worker, scheduler and dashboard keep it in their log), noise on every one-shot command a user types.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const env = loadCliEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const pool = createPool(env.DATABASE_URL);
  try {
    return await fn({ env, logger, pool });
  } finally {
    await pool.end();
  }
}

/** A failure as `--json` prints it (one line on stderr): what went wrong, of which kind, and the exit code. */
export interface JsonFailure {
  error: { kind: 'input' | 'configuration' | 'failure'; message: string; problems?: string[]; exit_code: number };
}

/**
 * Maps any failure to one clear line on stderr (a JSON line with `json`) and the exit code: 2 for bad input or
 * configuration, 1 otherwise. Everything printed passes through maskSecrets: a driver's message or a stack can quote
 * a connection URL.
 */
export function reportFailure(error: unknown, options: { json?: boolean } = {}): number {
  const print = (text: string) => process.stderr.write(`${maskSecrets(text)}\n`);
  const report = (failure: JsonFailure['error'], text: string) => {
    print(options.json ? JSON.stringify({ error: failure } satisfies JsonFailure) : text);
    return failure.exit_code;
  };
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof InputError) return report({ kind: 'input', message: error.message, exit_code: 2 }, `error: ${error.message}`);
  if (error instanceof ConfigError) return report({ kind: 'configuration', message: 'invalid configuration', problems: error.problems, exit_code: 2 }, error.message);
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  const full = `${message}${cause && !message.includes(cause) ? ` (caused by: ${cause})` : ''}`;
  report({ kind: 'failure', message: full, exit_code: 1 }, `error: ${full}`);
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

/**
 * Writes the port a long-running command listens on to its port file, which the image's healthcheck reads (see
 * portFilePath). A file that cannot be written (no writable tmpdir) is said in one line, and the healthcheck asks
 * the environment's port instead.
 */
export async function announcePort(role: 'worker' | 'scheduler' | 'dashboard', port: number): Promise<void> {
  const { writePortFile } = await import('@spine/platform/http/port-file');
  try {
    writePortFile(role, port);
  } catch (error) {
    process.stderr.write(`spine ${role}: could not write its port file (${(error as Error).message}); the image's healthcheck asks the environment's port instead\n`);
  }
}

/** The dataset a `--dataset` option names, the registry's first when absent; an unknown name is bad input. */
export function datasetNamed(datasets: DatasetRegistry, name: string | undefined): DatasetDefinition {
  if (name === undefined) return datasets.first;
  if (!datasets.names().includes(name)) throw new InputError(`unknown dataset "${name}": use one of ${datasets.names().join(', ')}`);
  return datasets.get(name);
}
