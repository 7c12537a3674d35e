import type { DatasetDefinition } from '@spine/platform/dataset/dataset-definition';
import { endpointTableProblem, type Endpoint } from '@spine/platform/research/research-endpoint';
import { researchEndpoints as datasetEndpoints } from '@spine/platform/research/research-module';
import { datasetListEndpoint } from './dataset-list.ts';

/**
 * What /api/v1 serves, and the OpenAPI document and `spine query` describe: the list of the registered datasets
 * (listDatasets, dataset-free), then every dataset's own questions in the registry's order. Throws when the table
 * breaks endpointTableProblem's rules (a programming error).
 */
export async function researchEndpoints(definitions: readonly DatasetDefinition[]): Promise<Endpoint[]> {
  const all = [datasetListEndpoint(definitions), ...(await datasetEndpoints(definitions))];
  const problem = endpointTableProblem(all);
  if (problem) throw new Error(`the research API's endpoints: ${problem}`);
  return all;
}
