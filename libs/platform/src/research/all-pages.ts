import type { Queryable } from '../db/pool.ts';
import { mergeProvenance, type Endpoint, type ResearchProvenance } from './research-endpoint.ts';

/** Every row of an answer, page after page, with the provenance of them all (and the first page's other fields). */
export async function allPages(db: Queryable, endpoint: Endpoint, path: Record<string, unknown>, query: Record<string, unknown>):
  Promise<{ data: unknown[]; provenance: ResearchProvenance } & Record<string, unknown>> {
  const data: unknown[] = [];
  let first: Record<string, unknown> | undefined;
  let provenance: ResearchProvenance | undefined;
  let token: string | undefined;
  do {
    const { data: rows, next_page_token: next, provenance: pageProvenance, state: _state, ...rest } =
      await endpoint.run(db, path, { ...query, page_token: token }) as Awaited<ReturnType<Endpoint['run']>> & Record<string, unknown>;
    first ??= rest;
    data.push(...rows);
    provenance = provenance ? mergeProvenance(provenance, pageProvenance) : pageProvenance;
    token = next ?? undefined;
  } while (token);
  return { ...first, data, provenance: provenance! };
}
