import type { Command } from 'commander';
import { InputError } from '@spine/platform/errors';
import { QUEUE_ROLES, type QueueRole } from '@spine/orchestration/queue-names';
import { announcePort, parsePort, stopSignal } from '../runtime.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run a BullMQ worker process for the chosen queues until SIGTERM or SIGINT (exit 0 once drained, 75 when it had to abandon work)')
    .option('--queues <list>', `comma-separated queue roles: ${QUEUE_ROLES.join(', ')} (default WORKER_QUEUES)`)
    .option('--concurrency <n>', 'jobs at once per queue (default WORKER_FETCH_CONCURRENCY / WORKER_STAGE_CONCURRENCY)')
    .option('--health-port <port>', 'port of /livez, /readyz and /metrics (default WORKER_HEALTH_PORT; 0 picks a free one)')
    .action(async (opts: { queues?: string; concurrency?: string; healthPort?: string }) => {
      const { loadCliEnv } = await import('../cli-env.ts');
      const env = loadCliEnv();
      const roles = (opts.queues ?? env.WORKER_QUEUES).split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = roles.filter((r) => !QUEUE_ROLES.includes(r as QueueRole));
      if (roles.length === 0 || unknown.length) throw new InputError(`--queues takes ${QUEUE_ROLES.join(', ')}; got "${opts.queues}"`);
      const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
      if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
        throw new InputError(`--concurrency must be a whole number from 1 to 64, got "${opts.concurrency}"`);
      }
      const healthPort = parsePort(opts.healthPort, '--health-port');
      const stopRequested = stopSignal();
      const { startWorkerProcess } = await import('@spine/worker');
      const handle = await startWorkerProcess(env, {
        roles: roles as QueueRole[],
        concurrency: concurrency === undefined ? undefined : Object.fromEntries(roles.map((r) => [r, concurrency])),
        healthPort,
      });
      await announcePort('worker', handle.healthPort);
      const stopped = handle.shutdown(await stopRequested);
      const [{ EXIT_SHUTDOWN_FORCED, shutdownTimes }, { createLogger }] = await Promise.all([
        import('@spine/orchestration/worker-shutdown'), import('@spine/platform/logger'),
      ]);
      // The last resort when something the shutdown waits for does not give up in time: unref'd, it never holds the process.
      setTimeout(() => {
        createLogger(env.LOG_LEVEL, 'worker').error({ abandoned: handle.activeJobs() }, 'shutdown overran WORKER_SHUTDOWN_MS; exiting now');
        process.exit(EXIT_SHUTDOWN_FORCED);
      }, shutdownTimes(env.WORKER_SHUTDOWN_MS).exitByMs).unref();
      // Exits as soon as the shutdown is done: a socket of an abandoned request must not hold the process.
      process.exit(await stopped);
    });
}
