import { datasetExport, summaryOf, type ResearchModule } from '@spine/platform/research/research-module';
import { OTC_ENDPOINTS } from './endpoints.ts';
import { exportTables } from './export.ts';
import { OTC_RESEARCH_PAGES } from './pages/pages.ts';
import { FINRA_ATTRIBUTION } from './provenance.ts';
import { exportRequest } from './request-schemas.ts';

/**
 * OTC's research, as its definition hands it over: its questions and pages at the root (/api/v1, /research), and its
 * tables for `spine export`.
 */
export const OTC_RESEARCH: ResearchModule = {
  endpoints: OTC_ENDPOINTS,
  paths: 'root',
  pages: OTC_RESEARCH_PAGES,
  description: 'FINRA OTC weekly transparency: weekly volume and trades per symbol and venue (Rules 6110 and 6610), ATS and non-ATS',
  attribution: FINRA_ATTRIBUTION,
  export: datasetExport({
    request: exportRequest,
    run: async (pool, request, target, onProgress) => summaryOf(await exportTables(pool, request, onProgress, target)),
  }),
};
