import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stderr (stdout carries command output); pretty-printed when stderr is a terminal. */
export function createLogger(level: string, name = 'spine'): Logger {
  if (process.stderr.isTTY) {
    return pino({
      name,
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino({ name, level, redact: ['password', '*.password', 'secret', '*.secret'] }, pino.destination(2));
}
