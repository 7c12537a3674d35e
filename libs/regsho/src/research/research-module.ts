import { datasetExport, summaryOf, type ResearchModule } from '@spine/platform/research/research-module';
import { REGSHO_ENDPOINTS } from './endpoints.ts';
import { exportRegsho } from './export.ts';
import { exportRequest } from './export-request.ts';
import { REGSHO_RESEARCH_PAGES } from './pages/pages.ts';
import { REGSHO_ATTRIBUTION } from './provenance.ts';

/**
 * Reg SHO's research, as its definition hands it over: its questions under /api/v1/datasets/regsho/, its pages under
 * /research/datasets/regsho, and its tables for `spine export`.
 */
export const REGSHO_RESEARCH: ResearchModule = {
  endpoints: REGSHO_ENDPOINTS,
  pages: REGSHO_RESEARCH_PAGES,
  description: 'FINRA Reg SHO daily short-sale volume: per trade date, symbol and reporting facility, the short, short-exempt and total volume ' +
    'reported off exchange',
  attribution: REGSHO_ATTRIBUTION,
  export: datasetExport({
    request: exportRequest,
    run: async (pool, request, target, onProgress) => summaryOf(await exportRegsho(pool, request, onProgress, target)),
  }),
};
