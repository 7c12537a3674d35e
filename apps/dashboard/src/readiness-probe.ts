import type { Request, Response } from 'express';
import { maskSecrets, type Logger } from '@spine/platform';

export type DependencyCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(check: DependencyCheck): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * /readyz: 200 when every dependency answers; otherwise 503 naming the ones that do not. The errors themselves go
 * to the log, not to the anonymous caller: they can name hosts, users and configuration.
 */
export function readinessProbe(checks: Record<string, DependencyCheck>, logger: Logger) {
  return async (_req: Request, res: Response) => {
    const results = await Promise.allSettled(Object.values(checks).map(withTimeout));
    const names = Object.keys(checks);
    const down = names.filter((_name, i) => results[i]!.status === 'rejected');
    for (const name of down) {
      const reason = (results[names.indexOf(name)] as PromiseRejectedResult).reason as unknown;
      logger.warn({ dependency: name, err: maskSecrets(reason instanceof Error ? reason.message : String(reason)) }, 'readiness check failed');
    }
    if (down.length === 0) return void res.type('text').send('ready\n');
    res.status(503).type('text').send(`not ready: ${down.join(', ')} unavailable\n`);
  };
}
