import {
  ConfigError, periodWords, seriesFromWire, setReadiness, toWire, toWireSeries, wireLabel,
  type DatasetRegistry, type Logger, type Partition, type Pool, type SeriesKey, type WirePartition,
} from '@spine/platform';
import { loadSchedules } from './schedules-repo.ts';
import { alertTransitions, lagHours, severityFor, type AlertTransition } from './lag-alerts.ts';
import { applyQualityTransitions, applyTransitions, openQualityAlerts } from './alert-store.ts';
import { publicationKey, publicationLookups, revisionCandidates, viewSchedule, type PublicationProvider, type ScheduleLag } from './lag-report.ts';
import { expectedAt, loadSchedulePeriods } from './publication-calendar.ts';
import { namedAlert, type Alert, type AlertSink } from './alert-sinks.ts';
import { weekFigures, type WeekFigures } from './week-figures.ts';
import { qualityTransitions, weekFindings, type QualityAlert } from './quality-alerts.ts';
import { oldestRunningBatches, partitionHealth, type PartitionHealth, type RunningBatch } from './data-health.ts';

export interface EnqueueWeeks {
  /** The dataset the weeks are of (the schedules' domain). */
  dataset: string;
  weeks: EnqueuedWeek[];
  source: string;
  fencingToken: number | null;
}

export type EnqueuedWeek = WirePartition;

/** How a tick hands weeks to the worker cluster (production: a `scheduled` batch through BullMQ). */
export interface Enqueuer {
  enqueue(request: EnqueueWeeks): Promise<{ batch_id: string | null; enqueued: EnqueuedWeek[]; in_flight: EnqueuedWeek[] }>;
}

export interface TickDeps {
  pool: Pool;
  /** The datasets the schedules name (core_expected_schedules.domain). */
  datasets: DatasetRegistry;
  enqueuer: Enqueuer;
  sinks: AlertSink[];
  logger: Logger;
  /** Hours between re-fetches of a complete recent week to look for a FINRA revision. */
  revisionCheckHours: number;
  /** Which weeks each source has published (FINRA's partitions): unpublished weeks are not enqueued. */
  publication?: PublicationProvider;
  /** Restores the jobs open batches need (production: orchestration's reconcile); run before anything is enqueued. */
  reconciler?: Reconciler;
}

export interface Reconciler {
  reconcile(request: { dryRun: boolean; fencingToken: number | null }): Promise<{ actions: { batch_id: string; action: string; job_id: string | null; detail: string }[] }>;
}

/** Why a tick enqueues a week: it is not complete, or it is complete and recent enough to look for a revision. */
export type EnqueueReason = 'missing' | 'revision_check';

/** A week a tick means to enqueue. */
interface WantedWeek extends Partition {
  reason: EnqueueReason;
}

export interface TickResult {
  now: string;
  dry_run: boolean;
  fencing_token: number | null;
  batch_ids: string[];
  enqueued: (WirePartition & { reason: EnqueueReason })[];
  in_flight: WirePartition[];
  alerts: AlertTransition[];
  /** Quality alerts opened or resolved: checks a due week's current capture did not pass, records below their rolling average. */
  quality_alerts: QualityAlert[];
  lag: ScheduleLag[];
  /** Each schedule's partition as of its latest complete week. */
  data_health: PartitionHealth[];
  running_batches: RunningBatch[];
  /** What the reconciler changed (or, in a dry run, would change) before this tick enqueued. */
  reconciled: { batch_id: string; action: string; job_id: string | null; detail: string }[];
}

/**
 * One scheduler tick at `now`: for every enabled schedule, the weeks due by now (bounded by lookback_weeks) that
 * are not complete are enqueued, recent complete ones are re-fetched for revisions, freshness and quality alerts open,
 * escalate or resolve (one notification per change), readiness is updated, and the data's health is read for the
 * gauges. A dry run computes the same and writes nothing.
 */
export async function runTick(deps: TickDeps, now: Date, options: { dryRun?: boolean; fencingToken?: number | null } = {}): Promise<TickResult> {
  const dryRun = !!options.dryRun;
  // First, so weeks whose jobs Redis lost go back to their own batches instead of being claimed by a new one.
  const reconciled = deps.reconciler ? (await deps.reconciler.reconcile({ dryRun, fencingToken: options.fencingToken ?? null })).actions : [];
  const schedules = await loadSchedules(deps.pool);
  const result: TickResult = { now: now.toISOString(), dry_run: dryRun, fencing_token: options.fencingToken ?? null, batch_ids: [], enqueued: [], in_flight: [], alerts: [], quality_alerts: [], lag: [], data_health: [], running_batches: [], reconciled };
  // Enqueued per dataset and source: one batch each.
  const wanted = new Map<string, { dataset: string; source: string; weeks: WantedWeek[] }>();

  const periodsOf = await loadSchedulePeriods(deps.pool, schedules);
  const lookups = await publicationLookups(schedules, periodsOf, now, deps.publication, (source, error) =>
    deps.logger.warn({ source, err: error.message }, 'could not learn which periods the source has published; enqueueing every missing period'));

  for (const schedule of schedules) {
    const dataset = deps.datasets.get(schedule.domain);
    const series = seriesFromWire(schedule);
    // The row says what it steps through, for the readers that have no registry; a row its dataset contradicts
    // would enqueue partitions no source holds.
    if (schedule.period_kind !== dataset.period.kind) {
      throw new ConfigError([`schedule ${schedule.schedule_id} (${schedule.domain} ${series.key1} ${series.key2}) has period_kind ${schedule.period_kind}, but the ${dataset.name} dataset's periods are ${periodWords(dataset.period.kind).many}`]);
    }
    const published = lookups.get(publicationKey(schedule));
    const view = await viewSchedule(deps.pool, schedule, periodsOf(schedule), now, published);
    result.lag.push(view.lag);
    const group = `${schedule.domain} ${schedule.source}`;
    const forSource = wanted.get(group)?.weeks ?? [];
    // A week FINRA has not published yet would only fail its fetch: it waits for a later tick.
    const unpublished = new Set(view.lag.unpublished_weeks ?? []);
    const partition = { domain: schedule.domain, ...series };
    for (const week of view.lag.missing_weeks.filter((w) => !unpublished.has(w))) forSource.push({ ...partition, periodEnd: week, reason: 'missing' });
    for (const week of revisionCandidates(view, now, deps.revisionCheckHours)) forSource.push({ ...partition, periodEnd: week, reason: 'revision_check' });
    wanted.set(group, { dataset: schedule.domain, source: schedule.source, weeks: forSource });

    // Freshness is about the data arriving: a week with any completed capture (or one the gate stopped, which has
    // its own QUALITY_GATE anomaly) is not late, even while a revision of it is processed.
    const transitions = view.due.flatMap((week) => {
      const state = view.states.get(week)!;
      const arrived = state.available || state.gated;
      const isPublished = published ? published.has(series.key1, week) : null;
      return alertTransitions(schedule, { ...series, periodEnd: week, expected_at: expectedAt(schedule, view.periods, week), complete: arrived, published: isPublished, open: state.open }, now);
    });
    const applied = dryRun ? transitions : await applyTransitions(deps.pool, dataset, transitions);
    result.alerts.push(...applied);
    // Notified as soon as recorded: a later failure in this tick must not swallow a state change.
    if (!dryRun) await notify(deps, applied.map((a) => namedAlert(dataset, a)));

    const latest = view.lag.latest_complete_week;
    const figures = await weekFigures(deps.pool, schedule, series, view.periods, latest ? [...view.due, latest, view.periods.shift(latest, -1)] : view.due);
    const qualityChanges = await qualityAlertChanges(deps.pool, schedule.domain, series, view.due, figures);
    const appliedQuality = dryRun ? qualityChanges : await applyQualityTransitions(deps.pool, dataset, qualityChanges);
    result.quality_alerts.push(...appliedQuality);
    if (!dryRun) await notify(deps, appliedQuality.map((a) => namedAlert(dataset, a)));
    result.data_health.push(await partitionHealth(deps.pool, dataset, series, view.periods, latest, figures));

    if (!dryRun) {
      for (const week of view.due) {
        const state = view.states.get(week)!;
        const lag = lagHours(now, expectedAt(schedule, view.periods, week));
        const status = state.complete || state.available ? 'ready' : state.gated ? 'gated' : severityFor(schedule, lag) ? 'late' : state.capture_id ? 'in_progress' : 'pending';
        await setReadiness(deps.pool, {
          ...partition, periodEnd: week, status, captureId: state.capture_id,
          detail: {
            expected_at: expectedAt(schedule, view.periods, week).toISOString(), lag_hours: Math.round(lag * 10) / 10, checked_at: now.toISOString(),
            finra_published: published ? published.has(series.key1, week) : null,
          },
        });
      }
    }
  }

  for (const { dataset, source, weeks } of wanted.values()) {
    if (weeks.length === 0) continue;
    if (dryRun) {
      result.enqueued.push(...weeks.map((w) => ({ ...toWireSeries(w), week_ending: w.periodEnd, reason: w.reason })));
      continue;
    }
    const outcome = await deps.enqueuer.enqueue({ dataset, weeks: weeks.map(toWire), source, fencingToken: options.fencingToken ?? null });
    if (outcome.batch_id) result.batch_ids.push(outcome.batch_id);
    const accepted = new Set(outcome.enqueued.map(wireLabel));
    const taken = weeks.filter((w) => accepted.has(wireLabel(toWire(w))));
    result.enqueued.push(...taken.map((w) => ({ ...toWire(w), reason: w.reason })));
    result.in_flight.push(...outcome.in_flight);
    for (const w of taken.filter((t) => t.reason === 'revision_check')) {
      await deps.pool.query(
        `UPDATE core_data_readiness SET last_revision_check_at = $3 WHERE domain = $4 AND key_1 = $1 AND key_2 = $5 AND period_end = $2`,
        [w.key1, w.periodEnd, now, w.domain, w.key2],
      );
    }
  }

  result.running_batches = await oldestRunningBatches(deps.pool);
  return result;
}

/** The quality alerts of a series' due weeks that open or resolve; a week without a current capture keeps what is open. */
async function qualityAlertChanges(db: Pool, domain: string, series: SeriesKey, due: string[], figures: Map<string, WeekFigures>): Promise<QualityAlert[]> {
  const open = await openQualityAlerts(db, domain, series, due);
  return due.flatMap((week) => {
    const current = figures.get(week);
    return current ? qualityTransitions({ ...toWireSeries(series), week_ending: week }, weekFindings(current), open.get(week) ?? []) : [];
  });
}

async function notify(deps: TickDeps, alerts: Alert[]): Promise<void> {
  for (const alert of alerts) {
    for (const sink of deps.sinks) {
      try {
        await sink.send(alert);
      } catch (error) {
        deps.logger.error({ err: (error as Error).message, alert }, 'an alert sink failed; the alert stays recorded in core_anomalies');
      }
    }
  }
}
