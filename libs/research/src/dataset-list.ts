import * as z from 'zod';
import type { Queryable } from '@spine/platform/db/pool';
import { partitionKeys, type DatasetDefinition } from '@spine/platform/dataset/dataset-definition';
import { answerSchemaOf, calculationsAndState, endpoint, isoInstant, provenanceSchemaOf, type Endpoint } from '@spine/platform/research/research-endpoint';
import { endpointsByDataset } from '@spine/platform/research/research-module';

/**
 * GET /api/v1/datasets (listDatasets): every registered dataset, from its definition and its research module, with
 * how much of it is loaded (core_captures). Dataset-free: it was the first dataset's question while it was the one
 * dataset, and keeps the fields it answered then (tiers, venue_types, first_week, last_week: a dataset's key slots and period
 * dates as the core tables hold them).
 */

const date = z.string().meta({ format: 'date' });

export const datasetSchema = z.object({
  dataset: z.string().meta({ description: 'Its name: --dataset of the CLI; its own paths are under /datasets/<name>/' }),
  title: z.string(),
  publisher: z.string(),
  description: z.string(),
  period: z.object({
    kind: z.enum(['week', 'trading_day', 'month']),
    field: z.string().meta({ description: 'The field naming a period in its answers: week_ending, trade_date...' }),
    label: z.string(),
    calendar: z.string().nullable().meta({ description: 'The exchange calendar of trading days (XNYS); null for weeks and months' }),
  }),
  keys: z.array(z.object({ field: z.string(), label: z.string(), values: z.array(z.string()) }))
    .meta({ description: 'The keys that split a period into partitions, each with the values it takes' }),
  tiers: z.array(z.string()).meta({ description: 'The values of its first key (keys[0].values), under the name of the first release; use keys', deprecated: true }),
  venue_types: z.array(z.string()).meta({ description: 'The values of its second key (keys[1].values), under the name of the first release; empty for a dataset with one key; use keys', deprecated: true }),
  first_period: date.nullable().meta({ description: 'The oldest period with a capture; null when none is loaded' }),
  last_period: date.nullable().meta({ description: 'The newest period with a capture' }),
  first_week: date.nullable().meta({ description: 'first_period, under the name of the first release (a trade date for a daily dataset); use first_period', deprecated: true }),
  last_week: date.nullable().meta({ description: 'last_period, under the name of the first release; use last_period', deprecated: true }),
  partitions: z.int(),
  captures: z.int(),
  last_captured_at: z.string().nullable().meta({ format: 'date-time' }),
  attribution: z.string(),
  paths: z.array(z.string()).meta({ description: 'The paths of its research questions, relative to /api/v1' }),
});
export type DatasetEntry = z.infer<typeof datasetSchema>;

/** The list reads no capture's rows: its provenance lists none. */
const datasetsAnswer = answerSchemaOf(datasetSchema, provenanceSchemaOf(z.object({ capture_id: z.string() })));

const noQuery = z.object({});

interface Loaded {
  domain: string;
  first_period: string;
  last_period: string;
  partitions: number;
  captures: number;
  last_captured_at: string;
}

/** The registered datasets, in the registry's order, with what each has loaded. */
async function listDatasets(db: Queryable, definitions: readonly DatasetDefinition[]) {
  const { rows } = await db.query<Loaded>(
    `SELECT domain, to_char(min(period_end), 'YYYY-MM-DD') AS first_period, to_char(max(period_end), 'YYYY-MM-DD') AS last_period,
            count(DISTINCT (period_end, key_1, key_2))::int AS partitions, count(*)::int AS captures,
            ${isoInstant('max(captured_at)')} AS last_captured_at
       FROM core_captures WHERE domain = ANY($1::text[]) GROUP BY domain`,
    [definitions.map((d) => d.name)],
  );
  const researched = new Map((await endpointsByDataset(definitions)).map((d) => [d.name, d]));
  const data: DatasetEntry[] = [];
  for (const definition of definitions) {
    const module = researched.get(definition.name)?.module;
    const loaded = rows.find((r) => r.domain === definition.name);
    const [first, second] = partitionKeys(definition);
    data.push({
      dataset: definition.name, title: definition.title, publisher: definition.publisher,
      description: module?.description ?? `${definition.publisher} ${definition.title}`,
      period: { kind: definition.period.kind, field: definition.period.field, label: definition.period.label, calendar: definition.period.calendar ?? null },
      keys: definition.keys.map((k) => ({ field: k.field, label: k.label, values: [...k.values] })),
      tiers: [...first.values], venue_types: second.implicit ? [] : [...second.values],
      first_period: loaded?.first_period ?? null, last_period: loaded?.last_period ?? null,
      first_week: loaded?.first_period ?? null, last_week: loaded?.last_period ?? null,
      partitions: loaded?.partitions ?? 0, captures: loaded?.captures ?? 0, last_captured_at: loaded?.last_captured_at ?? null,
      attribution: module?.attribution ?? '',
      paths: module?.endpoints.map((e) => e.path) ?? [],
    });
  }
  const { calculations, state } = calculationsAndState([], JSON.stringify(rows));
  const attribution = [...new Set(data.map((d) => d.attribution).filter(Boolean))].join(' ');
  return { data, next_page_token: null, provenance: { as_of: { published: null, captured: null }, captures: [], calculations, attribution }, state };
}

/** listDatasets, over `definitions` (the registry's). */
export function datasetListEndpoint(definitions: readonly DatasetDefinition[]): Endpoint {
  return endpoint({
    operationId: 'listDatasets', path: '/datasets',
    summary: 'Every dataset served: its period, keys, publisher, terms and the paths of its questions, and how much of it is loaded',
    pathParams: {}, query: noQuery, answer: datasetsAnswer, answerName: 'DatasetsAnswer',
    run: (db) => listDatasets(db, definitions),
  });
}
