import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type PinoPretty from 'pino-pretty';
import { MASK, maskSecrets } from './secret-masking.ts';

export type { Logger };

/** Fields that hold a credential whatever their value looks like. */
export const REDACTED_PATHS = [
  'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'authorization', '*.authorization',
  'cookie', '*.cookie', 'headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie',
  'DATABASE_URL', 'REDIS_URL', 'ALERT_WEBHOOK_URL', '*.DATABASE_URL', '*.REDIS_URL', '*.ALERT_WEBHOOK_URL',
];

export interface LoggerOutput {
  /** Where lines go; stderr by default (stdout carries command output). */
  destination?: NodeJS.WritableStream;
  /** Human-readable lines instead of JSON; by default when stderr is a terminal. */
  pretty?: boolean;
}

/**
 * Every finished line passes through maskSecrets before it is written, in both output modes: redaction by path
 * covers known fields, but a URL with a password can sit in any message, error text or stack, which only a pass
 * over the whole line catches.
 */
function masking(target: { write(line: string): unknown }): DestinationStream {
  return { write: (line: string) => void target.write(maskSecrets(line)) };
}

/** JSON logs on stderr, pretty-printed when stderr is a terminal; secrets are masked in either form. */
export function createLogger(level: string, name = 'spine', output: LoggerOutput = {}): Logger {
  const options: LoggerOptions = { name, level, redact: { paths: REDACTED_PATHS, censor: MASK } };
  const destination = output.destination ?? process.stderr;
  if (output.pretty ?? process.stderr.isTTY) {
    // In-process pino-pretty (not a transport thread), so its input is the masked line. Loaded only here: it costs
    // every command's start 20-40 ms, and a process whose stderr is not a terminal (a service, a script) never uses it.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    const prettyStream = pretty({ destination, colorize: output.destination === undefined, ignore: 'pid,hostname', sync: true });
    return pino(options, masking(prettyStream));
  }
  return pino(options, masking(output.destination ?? pino.destination({ dest: 2, sync: true })));
}
