import cron from 'node-cron';
import type { Server } from 'node:http';
import { createLogger, createPool, dbTimeoutsFromEnv, startHealthServer, type DatasetRegistry } from '@spine/platform';
import type { SchedulerEnv } from './scheduler-env.ts';
import { createRedis, openQueues, sourcePublication } from '@spine/orchestration';
import { publishingSourceCatalog } from '@spine/finra-source';
import { LeaderLease, LeaseLostError, LogSink, queueEnqueuer, queueReconciler, runTick, systemClock, WebhookSink, type AlertSink, type Clock } from '@spine/scheduling';
import { createSchedulerMetrics } from './scheduler-metrics.ts';
import { datasets as releaseDatasets } from '@spine/datasets';

export interface SchedulerHandle {
  healthPort: number;
  shutdown(reason: string): Promise<void>;
}

/**
 * A scheduler replica: node-cron fires ticks; each tick renews (or tries to take) the leader lease and only the
 * leader runs it, reading core_expected_schedules afresh so edits apply without a restart.
 */
export async function startSchedulerProcess(env: SchedulerEnv, options: { clock?: Clock; healthPort?: number; datasets?: DatasetRegistry } = {}): Promise<SchedulerHandle> {
  const clock = options.clock ?? systemClock;
  // The datasets its schedules name: this release's registry unless given (a test's own dataset beside them).
  const datasets = options.datasets ?? releaseDatasets;
  const logger = createLogger(env.LOG_LEVEL, 'scheduler');
  if (!cron.validate(env.SCHEDULER_CRON)) throw new Error(`SCHEDULER_CRON "${env.SCHEDULER_CRON}" is not a valid cron expression`);
  const pool = createPool(env.DATABASE_URL, 4, {
    timeouts: dbTimeoutsFromEnv(env),
    onConnectionError: (error) => logger.warn({ err: error.message }, 'PostgreSQL connection error; the next tick tries again'),
  });
  const redis = createRedis(env.REDIS_URL);
  const queues = openQueues(env, pool, datasets);
  const lease = new LeaderLease(redis, `${env.QUEUE_PREFIX}:scheduler:leader`, env.SCHEDULER_LEASE_TTL_MS);
  const sinks: AlertSink[] = [new LogSink(logger), ...(env.ALERT_WEBHOOK_URL ? [new WebhookSink(env.ALERT_WEBHOOK_URL)] : [])];
  const metrics = createSchedulerMetrics(datasets);
  const enqueuer = queueEnqueuer(queues, env.QUALITY_MAX_REJECT_SHARE, lease);
  const publication = sourcePublication(datasets, publishingSourceCatalog(env));
  const reconciler = env.RECONCILE_ON_TICK ? queueReconciler(queues, env.QUALITY_MAX_REJECT_SHARE, lease) : undefined;
  let healthy = true;

  let running: Promise<void> | undefined;
  // The start-up tick and cron ticks share one guard: a tick never overlaps another in this replica.
  const tick = () => (running ??= runGuarded().finally(() => (running = undefined)));
  const runGuarded = async () => {
    try {
      const leadership = await lease.acquireOrRenew();
      metrics.leading(leadership.leader);
      if (!leadership.leader) return logger.debug({ holder: await lease.currentHolder() }, 'not the leader; tick skipped');
      const result = await runTick({ pool, datasets, enqueuer, reconciler, sinks, logger, publication, revisionCheckHours: env.REVISION_CHECK_HOURS }, clock.now(), { fencingToken: leadership.fencingToken });
      if (result.reconciled.length) logger.warn({ actions: result.reconciled }, 'reconciler restored what Redis lost or closed batches that could not progress');
      metrics.observe(result);
      healthy = true;
      logger.info({ fencing_token: leadership.fencingToken, enqueued: result.enqueued.length, in_flight: result.in_flight.length, alerts: result.alerts.length, batch_ids: result.batch_ids }, 'tick');
    } catch (error) {
      // Losing the lease mid-tick is failover working, not a fault: the new leader's tick does the work.
      if (error instanceof LeaseLostError) {
        metrics.leading(false);
        return logger.warn({ err: error.message }, 'lease lost during the tick; nothing more enqueued');
      }
      healthy = false;
      logger.error({ err: (error as Error).message }, 'tick failed; the next tick tries again');
    }
  };
  const task = cron.schedule(env.SCHEDULER_CRON, () => tick(), { noOverlap: true, name: 'scheduler-tick' });
  const health: Server = await startHealthServer(options.healthPort ?? env.SCHEDULER_HEALTH_PORT, metrics.registry, () => healthy);
  const address = health.address();
  const healthPort = typeof address === 'object' && address ? address.port : 0;
  logger.info({ cron: env.SCHEDULER_CRON, lease_ttl_ms: env.SCHEDULER_LEASE_TTL_MS, holder: lease.holderId, healthPort }, 'scheduler started');
  void tick();

  let closing: Promise<void> | undefined;
  return {
    healthPort,
    shutdown: (reason) =>
      (closing ??= (async () => {
        logger.info({ reason }, 'scheduler stopping');
        await task.destroy();
        await lease.release();
        await queues.close();
        await redis.quit();
        await pool.end();
        await new Promise<void>((resolve) => health.close(() => resolve()));
        logger.info('scheduler stopped');
      })()),
  };
}
