import { Router } from 'express';
import * as z from 'zod';
import { locateJob } from '@spine/orchestration';
import { roleOfQueue } from '@spine/orchestration/queue-names';
import { boardJobPath } from './request-schemas.ts';
import type { DashboardDeps } from './deps.ts';

const jobParams = z.object({ queue: z.string().max(64), id: z.string().min(1).max(512) });

/**
 * A job link of the partition, batch and lineage pages (`/jobs/<queue>/<id>`, jobPath) to the job's page on Bull
 * Board. The pages name the queue a stage runs on today; a job an earlier release left on the queue's earlier name is
 * found there (locateJob), so its link shows it rather than Bull Board's "not found". Any other name falls through to
 * the dashboard's 404.
 */
export function jobLinks(deps: DashboardDeps): Router {
  const links = Router();
  links.get('/jobs/:queue/:id', async (req, res, next) => {
    const params = jobParams.safeParse(req.params);
    const role = params.success ? roleOfQueue(params.data.queue) : undefined;
    if (!params.success || !role) return next();
    const { queue } = await locateJob(deps.queues, role, params.data.id);
    res.redirect(302, boardJobPath({ queue: queue.name, id: params.data.id }));
  });
  return links;
}
