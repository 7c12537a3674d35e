import { backfillRequestSchema, backfillWeeks, enqueueBatch, expandWeeks, describeIssues, type EnqueueResult, type RequestFieldNames, type WeekKey } from '@spine/orchestration';
import { loadPeriodCalendar } from '@spine/platform';
import * as z from 'zod';
import type { DashboardDeps } from './deps.ts';

/** The dataset a request names (absent: the first registered), read before the rest is validated for it. */
const datasetField = z.looseObject({ dataset: z.string().min(1).optional() });

/** The API's messages name its JSON keys. */
export const API_FIELD_NAMES: RequestFieldNames = { from: 'from', to: 'to', max_reject_share: 'max_reject_share' };

export type BackfillOutcome =
  | { kind: 'invalid'; summary: string; problems: { field: string | null; message: string }[] }
  | { kind: 'refused'; message: string; unpublished: WeekKey[] }
  | { kind: 'enqueued'; result: EnqueueResult; unpublished: WeekKey[]; warning?: string };

/**
 * A backfill asked for from the dashboard (form or API), validated with the CLI's schema, its messages naming the
 * fields as the asker knows them. Weeks the source has not published are left out and reported, as by the CLI.
 */
export async function startBackfill(deps: DashboardDeps, body: unknown, requestedBy: string, names: RequestFieldNames): Promise<BackfillOutcome> {
  const named = datasetField.safeParse(body);
  if (!named.success || (named.data.dataset !== undefined && !deps.queues.datasets.names().includes(named.data.dataset))) {
    const message = `dataset: unknown dataset: use one of ${deps.queues.datasets.names().join(', ')}`;
    return { kind: 'invalid', summary: message, problems: [{ field: 'dataset', message }] };
  }
  const dataset = deps.queues.datasets.of(named.data.dataset);
  const periods = await loadPeriodCalendar(deps.pool, dataset.period);
  const parsed = backfillRequestSchema(dataset, deps.sources, { maxPartitions: deps.env.BACKFILL_MAX_PARTITIONS, periods }, names).safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ field: i.path.length ? String(i.path[0]) : null, message: i.message }));
    return { kind: 'invalid', summary: describeIssues(parsed.error), problems };
  }
  const r = parsed.data;
  const { weeks, unpublished, refusal, warning } = await backfillWeeks(dataset, deps.sources, r.source, expandWeeks(r.tier, r.from, r.to, r.venue_type, periods));
  if (refusal) return { kind: 'refused', message: refusal, unpublished };
  if (warning) deps.onLookupError?.(r.source, new Error(warning));
  const result = await enqueueBatch(deps.queues, {
    dataset: dataset.name, kind: 'backfill', weeks, source: r.source, force: r.force, maxRejectShare: r.max_reject_share ?? deps.env.QUALITY_MAX_REJECT_SHARE,
    requestedBy, params: { from: r.from, to: r.to, tiers: r.tier, venue_types: r.venue_type, weeks_unpublished: unpublished },
  });
  return { kind: 'enqueued', result, unpublished, ...(warning ? { warning } : {}) };
}
