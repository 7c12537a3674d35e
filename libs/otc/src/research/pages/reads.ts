import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { allPages } from '@spine/platform/research/all-pages';
import { describeIssues } from '@spine/platform/research/describe-issues';
import { OTC_ENDPOINTS } from '../endpoints.ts';
import type { Provenance } from '../response-schemas.ts';

const MAX_PAGE = 1000;

/**
 * Every row of a research API answer (`operationId` of OTC_ENDPOINTS) for its research pages: the path and query are
 * validated by the endpoint's own schemas, as the API does, and a bad one is the asker's error (HTTP 400).
 */
export async function readAll<Row>(pool: Pool, operationId: string, path: Record<string, unknown>, query: Record<string, unknown>):
  Promise<{ data: Row[]; provenance: Provenance }> {
  const endpoint = OTC_ENDPOINTS.find((e) => e.operationId === operationId);
  if (!endpoint) throw new Error(`no research endpoint ${operationId}`);
  const parsedPath: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(endpoint.pathParams)) {
    const parsed = schema.safeParse(path[name]);
    if (!parsed.success) throw new InputError(`${name}: ${describeIssues(parsed.error)}`);
    parsedPath[name] = parsed.data;
  }
  const parsed = endpoint.query.safeParse({ ...query, page_size: String(MAX_PAGE) });
  if (!parsed.success) throw new InputError(describeIssues(parsed.error));
  const answer = await allPages(pool, endpoint, parsedPath, parsed.data as Record<string, unknown>);
  return { data: answer.data as Row[], provenance: answer.provenance as Provenance };
}
