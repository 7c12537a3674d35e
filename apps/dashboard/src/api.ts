import { Router, type Request, type Response } from 'express';
import { InputError, loadLineage, loadPeriodCalendar, maskSecrets, type DatasetDefinition } from '@spine/platform';
import { describeIssues } from '@spine/orchestration';
import { retryBatchFailures } from '@spine/orchestration/failed-job-retry';
import { lagReport } from '@spine/scheduling';
import { batchList, batchReport, coverageGrid } from '@spine/operations';
import { requireAdmin } from './auth.ts';
import { coverageQuery, listOptions, listQuery } from './request-schemas.ts';
import { batchProgressOf } from './batch-pages.ts';
import { API_FIELD_NAMES, startBackfill } from './backfill-start.ts';
import type { DashboardDeps } from './deps.ts';
import { pageDataset } from './page-dataset.ts';

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

/** JSON endpoints; inputs validated with the same zod schemas as the CLI. */
export function apiRouter(deps: DashboardDeps): Router {
  const api = Router();
  api.post('/backfill', requireAdmin, json(async (req, res) => {
    const outcome = await startBackfill(deps, req.body, `dashboard:${req.role}`, API_FIELD_NAMES);
    if (outcome.kind === 'invalid') return res.status(400).json({ error: outcome.summary });
    if (outcome.kind === 'refused') return res.status(400).json({ error: outcome.message, unpublished: outcome.unpublished });
    res.status(outcome.result.batch_id ? 202 : 200).json({ ...outcome.result, unpublished: outcome.unpublished, ...(outcome.warning ? { warning: outcome.warning } : {}) });
  }));
  api.get('/batches', json(async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) return res.status(400).json({ error: describeIssues(query.error) });
    res.json(await batchList(deps.pool, listOptions(query.data)));
  }));
  api.get('/batches/:id', json(async (req, res) => {
    const progress = await batchProgressOf(deps, String(req.params.id));
    if (!progress) return res.status(404).json({ error: `no batch ${req.params.id}` });
    res.json(progress);
  }));
  api.get('/batches/:id/report', json(async (req, res) => {
    const [report, progress] = await Promise.all([batchReport(deps.pool, String(req.params.id), new Date()), batchProgressOf(deps, String(req.params.id))]);
    if (!report || !progress) return res.status(404).json({ error: `no batch ${req.params.id}` });
    res.json({ ...report, failures: progress.failures, ended: progress.ended });
  }));
  api.post('/batches/:id/retry', requireAdmin, json(async (req, res) => {
    if (!(await batchProgressOf(deps, String(req.params.id)))) return res.status(404).json({ error: `no batch ${req.params.id}` });
    const retried = await retryBatchFailures(deps.pool, String(req.params.id), deps.queues);
    res.json({ retried });
  }));
  api.get('/lag', json(async (_req, res) => res.json(await lagReport(deps.pool, new Date()))));
  api.get('/coverage', json(async (req, res) => {
    const q = coverageQuery.safeParse(req.query);
    if (!q.success) return res.status(400).json({ error: describeIssues(q.error) });
    const { dataset: name, ...grid } = q.data;
    let definition: DatasetDefinition;
    try {
      definition = pageDataset(deps, name).dataset;
    } catch (error) {
      if (error instanceof InputError) return res.status(400).json({ error: error.message });
      throw error;
    }
    const periods = await loadPeriodCalendar(deps.pool, definition.period);
    const problem = grid.until === undefined ? undefined : periods.problem(grid.until);
    if (problem) return res.status(400).json({ error: `until: ${problem}` });
    res.json(await coverageGrid(deps.pool, definition, { now: new Date(), ...grid, periods, publication: deps.publication, onLookupError: deps.onLookupError }));
  }));
  api.get('/lineage/:id', json(async (req, res) => {
    const lineage = await loadLineage(deps.pool, String(req.params.id));
    if (lineage.roots.length === 0) return res.status(404).json({ error: `no batch or execution ${req.params.id}` });
    res.json(lineage);
  }));
  api.use((_req, res) => res.status(404).json({ error: 'no such endpoint' }));
  return api;
}
