import type { Command } from 'commander';
import { InputError } from '@spine/platform/errors';
import type { AlertSink } from '@spine/scheduling';
import { announcePort, parsePort, printJson, stopSignal, withRuntime } from '../runtime.ts';

function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) throw new InputError(`--now must be an ISO timestamp such as 2025-12-29T15:00:00Z, got "${text}"`);
  return date;
}

export function registerScheduler(program: Command): void {
  const scheduler = program.command('scheduler').description('the cron loop that enqueues due weeks and raises lag alerts');
  scheduler
    .command('run', { isDefault: true })
    .description('run a scheduler replica until SIGTERM or SIGINT (one replica leads at a time)')
    .option('--health-port <port>', 'port of /livez, /readyz and /metrics (default SCHEDULER_HEALTH_PORT; 0 picks a free one)')
    .action(async (opts: { healthPort?: string }) => {
      const { loadCliEnv } = await import('../cli-env.ts');
      const env = loadCliEnv();
      const healthPort = parsePort(opts.healthPort, '--health-port');
      const stopRequested = stopSignal();
      const { startSchedulerProcess } = await import('@spine/scheduler');
      const handle = await startSchedulerProcess(env, { healthPort });
      await announcePort('scheduler', handle.healthPort);
      await handle.shutdown(await stopRequested);
    });
  scheduler
    .command('tick')
    .description('run one tick now (or at --now) and report what it enqueued and which alerts changed')
    .option('--now <iso>', 'the time the tick believes it is (ISO 8601)')
    .option('--dry-run', 'compute everything, write and enqueue nothing')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { now?: string; dryRun?: boolean; json?: boolean }) => {
      const now = parseNow(opts.now);
      await withRuntime(async ({ env, pool, logger }) => {
        const [{ openQueues, sourcePublication }, { publishingSourceCatalog }, { LogSink, queueEnqueuer, runTick, WebhookSink }, { renderTable }] =
          await Promise.all([import('@spine/orchestration'), import('@spine/finra-source'), import('@spine/scheduling'), import('../table.ts')]);
        const { datasets } = await import('@spine/datasets');
        const queues = openQueues(env, pool, datasets);
        try {
          const sinks: AlertSink[] = [new LogSink(logger), ...(env.ALERT_WEBHOOK_URL ? [new WebhookSink(env.ALERT_WEBHOOK_URL)] : [])];
          const result = await runTick({ pool, datasets, enqueuer: queueEnqueuer(queues, env.QUALITY_MAX_REJECT_SHARE), sinks, logger, publication: sourcePublication(datasets, publishingSourceCatalog(env)), revisionCheckHours: env.REVISION_CHECK_HOURS }, now, { dryRun: opts.dryRun });
          if (opts.json) return printJson(result);
          process.stdout.write(`tick at ${result.now}${result.dry_run ? ' (dry run)' : ''}: ${result.enqueued.length} week(s) ${result.dry_run ? 'would be ' : ''}enqueued, ` +
            `${result.in_flight.length} in flight, ${result.alerts.length} alert change(s), ${result.quality_alerts.length} quality alert change(s)${result.batch_ids.length ? `; batch ${result.batch_ids.join(', ')}` : ''}\n`);
          if (result.enqueued.length) process.stdout.write(`${renderTable(['tier', 'week_ending', 'reason'], result.enqueued.map((e) => [e.tier, e.week_ending, e.reason]))}\n`);
          if (result.alerts.length) process.stdout.write(`${renderTable(['change', 'severity', 'tier', 'week_ending', 'lag h'], result.alerts.map((a) => [a.change, a.severity, a.tier, a.week_ending, a.lag_hours]))}\n`);
          if (result.quality_alerts.length) process.stdout.write(`${renderTable(['change', 'severity', 'tier', 'venue_type', 'week_ending', 'check'], result.quality_alerts.map((a) => [a.change, a.severity, a.tier, a.venue_type, a.week_ending, a.check]))}\n`);
        } finally {
          await queues.close();
        }
      });
    });
}
