import { Router } from 'express';
import { describeIssues } from '@spine/research';
import { symbolSchema } from './otc-research.ts';
import type { Logger } from '@spine/platform';
import { page } from './page.ts';
import { researchDownloads } from './research-downloads.ts';
import { researchCoveragePage } from './research-coverage-page.ts';
import { operationsPage } from './research-operations-page.ts';
import { symbolPage } from './research-symbol-page.ts';
import { weekPage } from './research-week-page.ts';
import type { ResearchDeps } from './research-deps.ts';

/**
 * The research area: coverage with quality grades, a symbol's page, a tier-week page, load lag and throughput for
 * operators, and the CSV and Parquet downloads of a symbol or a week.
 */
export function researchPages(deps: ResearchDeps, logger: Logger): Router {
  const pages = Router();
  pages.get('/research', page(deps, (req) => researchCoveragePage(deps, req)));
  // The symbol form's target: a symbol typed in any case lands on its page.
  pages.get('/research/symbol', (req, res) => {
    const symbol = symbolSchema.safeParse(req.query.symbol);
    if (!symbol.success) return void res.status(400).type('text').send(`symbol: ${describeIssues(symbol.error)}\n`);
    const tier = typeof req.query.tier === 'string' && req.query.tier ? `?tier=${encodeURIComponent(req.query.tier)}` : '';
    res.redirect(303, `/research/symbols/${encodeURIComponent(symbol.data)}${tier}`);
  });
  pages.get('/research/symbols/:symbol', page(deps, (req) => symbolPage(deps, req)));
  pages.get('/research/weeks/:week_ending/:tier', page(deps, (req) => weekPage(deps, req)));
  pages.get('/research/operations', page(deps, (req) => operationsPage(deps, req)));
  pages.use(researchDownloads(deps, logger));
  return pages;
}
