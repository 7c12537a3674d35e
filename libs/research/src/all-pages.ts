import type { Queryable } from '@spine/platform/db/pool';
import type { Endpoint } from './endpoints.ts';
import type { Provenance } from './response-schemas.ts';

/** Every row of an answer, page after page, with the provenance of them all (and the first page's other fields). */
export async function allPages(db: Queryable, endpoint: Endpoint, path: Record<string, unknown>, query: Record<string, unknown>):
  Promise<{ data: unknown[]; provenance: Provenance } & Record<string, unknown>> {
  const data: unknown[] = [];
  let first: Record<string, unknown> | undefined;
  let provenance: Provenance | undefined;
  let token: string | undefined;
  do {
    const { data: rows, next_page_token: next, provenance: pageProvenance, state: _state, ...rest } =
      await endpoint.run(db, path, { ...query, page_token: token }) as Awaited<ReturnType<Endpoint['run']>> & Record<string, unknown>;
    first ??= rest;
    data.push(...rows);
    provenance = provenance ? merged(provenance, pageProvenance) : pageProvenance;
    token = next ?? undefined;
  } while (token);
  return { ...first, data, provenance: provenance! };
}

function merged(a: Provenance, b: Provenance): Provenance {
  const captures = new Map([...a.captures, ...b.captures].map((c) => [c.capture_id, c]));
  const calculations = new Map([...a.calculations, ...b.calculations].map((c) => [`${c.calc_name}@${c.calc_version}`, c]));
  return {
    ...a,
    captures: [...captures.values()].sort((x, y) => x.week_ending.localeCompare(y.week_ending) || x.tier.localeCompare(y.tier)
      || x.venue_type.localeCompare(y.venue_type) || x.revision - y.revision),
    calculations: [...calculations.values()].sort((x, y) => x.calc_name.localeCompare(y.calc_name) || x.calc_version - y.calc_version),
  };
}
