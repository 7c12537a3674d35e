import { backfillRequestSchema, backfillWeeks, describeIssues, enqueueBatch, expandWeeks, sourceAllowListFromEnv } from '@spine/orchestration';
import type { DashboardDeps } from './deps.ts';

export async function startBackfill(deps: DashboardDeps, body: unknown, requestedBy: string) {
  const parsed = backfillRequestSchema(sourceAllowListFromEnv(deps.env), { maxPartitions: deps.env.BACKFILL_MAX_PARTITIONS }).safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: describeIssues(parsed.error) } };
  const r = parsed.data;
  const { weeks, unpublished, refusal } = await backfillWeeks(r.source, expandWeeks(r.tier, r.from, r.to, r.venue_type));
  if (refusal) return { status: 400, body: { error: refusal, unpublished } };
  const result = await enqueueBatch(deps.queues, {
    kind: 'backfill', weeks, source: r.source, force: r.force, maxRejectShare: deps.env.QUALITY_MAX_REJECT_SHARE,
    requestedBy, params: { from: r.from, to: r.to, tiers: r.tier, venue_types: r.venue_type, weeks_unpublished: unpublished },
  });
  return { status: result.batch_id ? 202 : 200, body: { ...result, unpublished } };
}
