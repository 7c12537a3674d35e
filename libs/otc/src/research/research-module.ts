import { datasetExport, type ResearchModule } from '@spine/platform/research/research-module';
import { OTC_ENDPOINTS } from './endpoints.ts';
import { exportTables } from './export.ts';
import { exportRequest } from './request-schemas.ts';

/** OTC's research, as its definition hands it over: its questions at the API's root, and its tables for `spine export`. */
export const OTC_RESEARCH: ResearchModule = {
  endpoints: OTC_ENDPOINTS,
  paths: 'root',
  export: datasetExport({
    request: exportRequest,
    run: async (pool, request, target, onProgress) => {
      const manifest = await exportTables(pool, request, onProgress, target);
      return { rows: manifest.rows, files: manifest.files.length, captures: manifest.provenance.captures.length };
    },
  }),
};
