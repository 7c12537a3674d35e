import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { loadLineage, maskSecrets } from '@spine/platform';
import { TIERS } from '@spine/otc';
import { backfillRequestSchema, backfillWeeks, batchProgress, describeIssues, enqueueBatch, expandWeeks, sourceAllowListFromEnv } from '@spine/orchestration';
import { lagReport } from '@spine/scheduling';
import { coverageGrid, recentBatches } from '@spine/operations';
import { requireAdmin } from './auth.ts';
import type { DashboardDeps } from './deps.ts';

export const weeksQuery = z.object({ weeks: z.coerce.number().int().min(1).max(260).default(12) });

type Handler = (req: Request, res: Response) => Promise<unknown>;

/** Async handlers whose failures become JSON errors with a (secret-masked) message, never an HTML stack trace. */
function json(handler: Handler): Handler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      res.status(500).json({ error: maskSecrets((error as Error).message) });
    }
  };
}

export async function startBackfill(deps: DashboardDeps, body: unknown, requestedBy: string) {
  const parsed = backfillRequestSchema(sourceAllowListFromEnv(deps.env), { maxPartitions: deps.env.BACKFILL_MAX_PARTITIONS }).safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: describeIssues(parsed.error) } };
  const r = parsed.data;
  const { weeks, unpublished, refusal } = await backfillWeeks(r.source, expandWeeks(r.tier, r.from, r.to, r.venue_type));
  if (refusal) return { status: 400, body: { error: refusal, unpublished } };
  const result = await enqueueBatch(deps.queues, {
    kind: 'backfill', weeks, source: r.source, force: r.force, maxRejectShare: deps.env.QUALITY_MAX_REJECT_SHARE,
    requestedBy, params: { from: r.from, to: r.to, tiers: r.tier, venue_types: r.venue_type },
  });
  return { status: result.batch_id ? 202 : 200, body: { ...result, unpublished } };
}

/** JSON endpoints; inputs validated with the same zod schemas as the CLI. */
export function apiRouter(deps: DashboardDeps): Router {
  const api = Router();
  api.post('/backfill', requireAdmin, json(async (req, res) => {
    const { status, body } = await startBackfill(deps, req.body, `dashboard:${req.role}`);
    res.status(status).json(body);
  }));
  api.get('/batches', json(async (_req, res) => res.json(await recentBatches(deps.pool))));
  api.get('/batches/:id', json(async (req, res) => {
    const progress = await batchProgress(deps.pool, String(req.params.id), { fetch: deps.queues.fetchQueue, stage: deps.queues.stageQueue });
    if (!progress) return res.status(404).json({ error: `no batch ${req.params.id}` });
    res.json(progress);
  }));
  api.get('/lag', json(async (_req, res) => res.json(await lagReport(deps.pool, new Date()))));
  api.get('/coverage', json(async (req, res) => {
    const q = weeksQuery.safeParse(req.query);
    if (!q.success) return res.status(400).json({ error: describeIssues(q.error) });
    res.json(await coverageGrid(deps.pool, 'otc', TIERS, q.data.weeks));
  }));
  api.get('/lineage/:id', json(async (req, res) => {
    const lineage = await loadLineage(deps.pool, String(req.params.id));
    if (lineage.roots.length === 0) return res.status(404).json({ error: `no batch or execution ${req.params.id}` });
    res.json(lineage);
  }));
  api.use((_req, res) => res.status(404).json({ error: 'no such endpoint' }));
  return api;
}
