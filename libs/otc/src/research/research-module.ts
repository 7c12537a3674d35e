import { datasetExport, summaryOf, type ResearchModule } from '@spine/platform/research/research-module';
import { OTC_ENDPOINTS } from './endpoints.ts';
import { exportTables } from './export.ts';
import { OTC_RESEARCH_PAGES } from './pages/pages.ts';
import { exportRequest } from './request-schemas.ts';

/**
 * OTC's research, as its definition hands it over: its questions and pages at the root (/api/v1, /research), and its
 * tables for `spine export`.
 */
export const OTC_RESEARCH: ResearchModule = {
  endpoints: OTC_ENDPOINTS,
  paths: 'root',
  pages: OTC_RESEARCH_PAGES,
  export: datasetExport({
    request: exportRequest,
    run: async (pool, request, target, onProgress) => summaryOf(await exportTables(pool, request, onProgress, target)),
  }),
};
