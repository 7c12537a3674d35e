import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Queryable } from '../db/pool.ts';

/**
 * The dataset-free contract of the research API (/api/v1): what an endpoint is and what it answers. Each dataset
 * brings its questions through its definition (DatasetDefinition.research, research-module.ts), and the dashboard,
 * the OpenAPI document and `spine query` serve them all from this one shape.
 */

/** A capture an answer was read from: its id first, then the fields naming its partition and revision, in that order. */
export interface ResearchCapture {
  readonly capture_id: string;
  readonly [field: string]: unknown;
}

/** Where an answer came from: its point in time, the captures read, the calculations read and the publisher's terms. */
export interface ResearchProvenance {
  as_of: { published: string | null; captured: string | null };
  captures: ResearchCapture[];
  calculations: { calc_name: string; calc_version: number }[];
  attribution: string;
}

/** One page of an answer. */
export interface ResearchAnswer<Row = unknown> {
  data: Row[];
  next_page_token: string | null;
  provenance: ResearchProvenance;
  /** Changes whenever a capture behind the answer or a calculation run on one does; the ETag is made from it. */
  state: string;
}

/**
 * One question of the research API: its path (OpenAPI form, relative to /api/v1), the zod schemas of its path and
 * query parameters (which validate requests and make the OpenAPI document), the schema of its answer, and the read
 * model that answers it. The CLI asks the same read models with the same schemas.
 */
export interface Endpoint {
  operationId: string;
  path: string;
  summary: string;
  pathParams: Record<string, z.ZodType>;
  query: z.ZodType;
  answer: z.ZodType;
  /** Component name of the answer's schema in the OpenAPI document. */
  answerName: string;
  /** When the question can be answered 409 (a conflict): what it means, for the OpenAPI document. */
  conflict?: string;
  /**
   * Schemas its answer embeds that the OpenAPI document names as components of their own (the first dataset's
   * answers share one Provenance), by name; the others are written out in the answer's schema.
   */
  components?: Readonly<Record<string, z.ZodType>>;
  run(db: Queryable, path: Record<string, unknown>, query: unknown): Promise<ResearchAnswer>;
}

/** An endpoint whose read model takes its parameters as its schemas output them (checked here, erased in the table). */
export function endpoint<P extends Record<string, z.ZodType>, Q extends z.ZodType>(definition: {
  operationId: string; path: string; summary: string; pathParams: P; query: Q; answer: z.ZodType; answerName: string; conflict?: string;
  components?: Readonly<Record<string, z.ZodType>>;
  run(db: Queryable, path: { [K in keyof P]: z.output<P[K]> }, query: z.output<Q>): Promise<ResearchAnswer>;
}): Endpoint {
  return definition as unknown as Endpoint;
}

const date = z.string().meta({ format: 'date' });
const instant = z.string().meta({ format: 'date-time' });

/** The provenance block of an answer whose captures have the shape `capture`. */
export function provenanceSchemaOf<C extends z.ZodObject>(capture: C) {
  return z.object({
    as_of: z.object({ published: date.nullable(), captured: instant.nullable() }),
    captures: z.array(capture).meta({ description: 'The captures the answer was read from' }),
    calculations: z.array(z.object({ calc_name: z.string(), calc_version: z.int() })),
    attribution: z.string(),
  });
}

/** A page of an answer: its rows, the token of the next page (null on the last), where the rows came from, and `extra`. */
export function answerSchemaOf<Row extends z.ZodType, P extends z.ZodType>(row: Row, provenance: P, extra: z.ZodRawShape = {}) {
  return z.object({
    data: z.array(row),
    next_page_token: z.string().nullable().meta({ description: 'Pass as page_token for the next page; null on the last page' }),
    provenance,
    ...extra,
  });
}

/** Orders captures by the fields after capture_id (partition, then revision), numbers as numbers. */
function compareCaptures(a: ResearchCapture, b: ResearchCapture): number {
  for (const field of Object.keys(a)) {
    if (field === 'capture_id') continue;
    const x = a[field];
    const y = b[field];
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x - y;
    } else if (typeof x === 'string' && typeof y === 'string') {
      const order = x.localeCompare(y);
      if (order !== 0) return order;
    }
  }
  return 0;
}

/** A capture as provenance queries read it: its calculations' runs (`name@version:execution_id,...`) and its latest quality check. */
export interface CaptureRuns {
  capture_id: string;
  calcs: string | null;
  checked_at: string | null;
}

/**
 * The calculations an answer read (each name and version once, in order) and its state tag, from the runs of the
 * captures it read: the tag changes with any capture, a re-run of a calculation on one, or a check run again, and with
 * `extraState` (what else the answer depends on). The ETag is made from it.
 */
export function calculationsAndState(rows: readonly CaptureRuns[], extraState: string): Pick<ResearchProvenance, 'calculations'> & { state: string } {
  const calculations = new Map<string, { calc_name: string; calc_version: number }>();
  const state = createHash('sha256').update(extraState);
  for (const row of rows) {
    state.update(`\n${row.capture_id}|${row.calcs ?? ''}|${row.checked_at ?? ''}`);
    for (const calc of row.calcs?.split(',') ?? []) {
      const named = calc.split(':')[0]!;
      const at = named.lastIndexOf('@');
      calculations.set(named, { calc_name: named.slice(0, at), calc_version: Number(named.slice(at + 1)) });
    }
  }
  return { calculations: [...calculations.values()].sort(compareCalculations), state: state.digest('base64url') };
}

const compareCalculations = (x: { calc_name: string; calc_version: number }, y: { calc_name: string; calc_version: number }) =>
  x.calc_name.localeCompare(y.calc_name) || x.calc_version - y.calc_version;

/** The provenance of two pages of one answer: every capture and calculation once, in order. */
export function mergeProvenance(a: ResearchProvenance, b: ResearchProvenance): ResearchProvenance {
  const captures = new Map([...a.captures, ...b.captures].map((c) => [c.capture_id, c]));
  const calculations = new Map([...a.calculations, ...b.calculations].map((c) => [`${c.calc_name}@${c.calc_version}`, c]));
  return {
    ...a,
    captures: [...captures.values()].sort(compareCaptures),
    calculations: [...calculations.values()].sort(compareCalculations),
  };
}

/**
 * What the API relies on in a table of endpoints: each path and operationId once, and a component name (an answer's,
 * or one its answer embeds) never given to two different schemas (the OpenAPI document's components are keyed by it).
 */
export function endpointTableProblem(endpoints: readonly Endpoint[]): string | undefined {
  const paths = new Set<string>();
  const operations = new Set<string>();
  const named = new Map<string, z.ZodType>();
  for (const e of endpoints) {
    if (paths.has(e.path)) return `two endpoints have the path ${e.path}`;
    if (operations.has(e.operationId)) return `two endpoints have the operationId ${e.operationId}`;
    for (const [kind, name, schema] of [['answers', e.answerName, e.answer] as const, ...Object.entries(e.components ?? {}).map(([n, c]) => ['schemas', n, c] as const)]) {
      const earlier = named.get(name);
      if (earlier && earlier !== schema) return `two different ${kind} are named ${name}`;
      named.set(name, schema);
    }
    paths.add(e.path);
    operations.add(e.operationId);
  }
  return undefined;
}

/** An instant with its microseconds, so that a captured_at read from an answer selects that very capture again. */
export const isoInstant = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
