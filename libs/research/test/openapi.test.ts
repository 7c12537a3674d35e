import { describe, expect, it } from 'vitest';
import { compileErrors, validate } from '@readme/openapi-parser';
import * as z from 'zod';
import { openApiDocument } from '../src/openapi.ts';
import { datasets } from '@spine/datasets';
import { endpointTableProblem } from '@spine/platform/research/research-endpoint';
import { researchEndpoints } from '@spine/platform/research/research-module';
import { researchEndpoints as apiEndpoints } from '../src/api-endpoints.ts';

/** The first dataset's research module: its questions at the API's root, as its definition hands them over. */
const otc = await datasets.get('otc').research!();
const ENDPOINTS = otc.endpoints;

async function validationErrors(document: Record<string, unknown>): Promise<string | undefined> {
  // The validator dereferences the document it is given in place: hand it a copy.
  const result = await validate(structuredClone(document) as never);
  return result.valid ? undefined : compileErrors(result);
}

describe('the OpenAPI document of /api/v1', () => {
  it('is a valid OpenAPI 3.1 document (@readme/openapi-parser)', async () => {
    const document = openApiDocument(ENDPOINTS);
    expect(document.openapi).toBe('3.1.0');
    expect(await validationErrors(document)).toBeUndefined();
  });

  it('is refused by the same validator when broken, so the check above can fail', async () => {
    const document = openApiDocument(ENDPOINTS) as { paths: Record<string, { get: { responses: unknown } }> };
    document.paths[ENDPOINTS[0]!.path]!.get.responses = { 200: { content: {} } };
    expect(await validationErrors(document)).toMatch(/description/);
  });

  it('describes every endpoint with its parameters from the request schemas, and refers to defined answer schemas', () => {
    const document = openApiDocument(ENDPOINTS) as {
      paths: Record<string, { get: { parameters: { name: string; in: string; required: boolean; schema?: unknown }[]; responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> } }>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(document.paths).sort()).toEqual(ENDPOINTS.map((e) => e.path).sort());
    const history = document.paths['/symbols/{symbol}/history']!.get;
    expect(history.parameters.map((p) => `${p.in}:${p.name}${p.required ? '!' : ''}`)).toEqual([
      'path:symbol!', 'query:tier', 'query:venue_type', 'query:from', 'query:to', 'query:as_of_published', 'query:as_of_captured', 'query:hhi_version', 'query:page_size',
      'query:page_token',
    ]);
    // The HHI version is a question of the symbol answers only, which alone can be answered 409 (that version has not run).
    const withVersion = Object.entries(document.paths).filter(([, p]) => p.get.parameters.some((q) => q.name === 'hhi_version')).map(([path]) => path);
    expect(withVersion.sort()).toEqual(['/symbols/{symbol}/history', '/weeks/{week_ending}/snapshot']);
    expect(history.parameters.find((p) => p.name === 'hhi_version')).toMatchObject({ required: false, schema: { type: 'integer', enum: [1, 2] } });
    const conflicting = Object.entries(document.paths).filter(([, p]) => '409' in p.get.responses).map(([path]) => path);
    expect(conflicting.sort()).toEqual(withVersion);
    expect(document.paths['/weeks/{week_ending}/venues']!.get.parameters.find((p) => p.name === 'tier')!.required).toBe(true);
    for (const path of Object.values(document.paths)) {
      const ref = path.get.responses['200']!.content!['application/json']!.schema.$ref;
      expect(document.components.schemas[ref.replace('#/components/schemas/', '')]).toBeDefined();
    }
  });
});

describe('the endpoints /api/v1 serves: every registered dataset\'s, the first\'s at the root', () => {
  it('holds each path and operationId once, Reg SHO\'s among them, and the document describes them all validly', async () => {
    const endpoints = await researchEndpoints(datasets.list());
    expect(new Set(endpoints.map((e) => e.path)).size).toBe(endpoints.length);
    expect(new Set(endpoints.map((e) => e.operationId)).size).toBe(endpoints.length);
    expect(endpoints.slice(0, ENDPOINTS.length)).toEqual(ENDPOINTS);
    expect(endpoints.slice(ENDPOINTS.length).map((e) => `${e.operationId} ${e.path}`)).toEqual([
      'regshoSymbolDaily /datasets/regsho/symbols/{symbol}/daily', 'regshoWeekResearch /datasets/regsho/weeks/{week_ending}/research',
    ]);
    const document = openApiDocument(endpoints) as { paths: Record<string, { get: { parameters: { name: string; in: string; required: boolean }[] } }> };
    expect(await validationErrors(document)).toBeUndefined();
    expect(Object.keys(document.paths).sort()).toEqual(endpoints.map((e) => e.path).sort());
    expect(document.paths['/datasets/regsho/symbols/{symbol}/daily']!.get.parameters.map((p) => `${p.in}:${p.name}${p.required ? '!' : ''}`))
      .toEqual(['path:symbol!', 'query:from', 'query:to', 'query:as_of_published']);
    expect(document.paths['/datasets/regsho/weeks/{week_ending}/research']!.get.parameters.map((p) => `${p.in}:${p.name}${p.required ? '!' : ''}`))
      .toEqual(['path:week_ending!', 'query:symbol', 'query:page_size', 'query:page_token']);
  });

  it('serves first the list of datasets, dataset-free, then every dataset\'s: the document describes them all validly', async () => {
    const api = await apiEndpoints(datasets.list());
    expect(api.map((e) => e.operationId)).toEqual(['listDatasets', ...(await researchEndpoints(datasets.list())).map((e) => e.operationId)]);
    expect(api[0]!.path).toBe('/datasets');
    const document = openApiDocument(api) as { paths: Record<string, { get: { parameters: unknown[] } }>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    expect(await validationErrors(document)).toBeUndefined();
    expect(document.paths['/datasets']!.get.parameters).toEqual([]);
    const entry = (document.components.schemas.DatasetsAnswer!.properties.data as { items: { properties: Record<string, unknown> } }).items.properties;
    // The fields OTC's answer had, then the registry's.
    expect(Object.keys(entry)).toEqual(expect.arrayContaining(['dataset', 'description', 'tiers', 'venue_types', 'first_week', 'last_week', 'partitions', 'captures',
      'last_captured_at', 'attribution', 'title', 'publisher', 'period', 'keys', 'first_period', 'last_period', 'paths']));
    // The first release's names stay answered, marked deprecated so that clients move to the generic ones.
    const deprecated = Object.entries(entry).filter(([, schema]) => (schema as { deprecated?: boolean }).deprecated).map(([name]) => name);
    expect(deprecated.sort()).toEqual(['first_week', 'last_week', 'tiers', 'venue_types']);
  });

  it('refuses a table with a path, operationId or component name twice, and a dataset\'s endpoint outside /datasets/<its name>/', async () => {
    const [first, second] = ENDPOINTS as [typeof ENDPOINTS[0], typeof ENDPOINTS[0]];
    expect(endpointTableProblem([first, { ...second, path: first.path }])).toBe(`two endpoints have the path ${first.path}`);
    expect(endpointTableProblem([first, { ...second, operationId: first.operationId }])).toBe(`two endpoints have the operationId ${first.operationId}`);
    expect(endpointTableProblem([first, { ...second, answerName: first.answerName }])).toBe(`two different answers are named ${first.answerName}`);
    expect(endpointTableProblem([first, { ...second, components: { Provenance: z.object({}) } }])).toBe('two different schemas are named Provenance');
    const otcDefinition = { name: 'otc', research: async () => otc };
    const stray = { name: 'stray', research: async () => ({ endpoints: [{ ...second, operationId: 'strayVenues' }] }) };
    await expect(researchEndpoints([otcDefinition, stray])).rejects.toThrow(`dataset stray's endpoint strayVenues is at ${second.path}: a dataset's paths start /datasets/stray/`);
    const clash = { name: 'stray', research: async () => ({ endpoints: [{ ...second, path: '/datasets/stray/x' }] }) };
    await expect(researchEndpoints([otcDefinition, clash])).rejects.toThrow(`two endpoints have the operationId ${second.operationId}`);
  });

  it('puts only the first dataset\'s paths at the API\'s root', async () => {
    const rooted = { name: 'stray', research: async () => ({ endpoints: [{ ...ENDPOINTS[0]!, operationId: 'strayDatasets', path: '/stray' }], paths: 'root' as const }) };
    expect((await researchEndpoints([rooted])).map((e) => e.path)).toEqual(['/stray']);
    await expect(researchEndpoints([{ name: 'otc', research: async () => otc }, rooted]))
      .rejects.toThrow('dataset stray puts its paths at the API\'s root: only the first dataset\'s are there');
  });
});
