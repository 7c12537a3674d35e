import { describe, expect, it } from 'vitest';
import { compileErrors, validate } from '@readme/openapi-parser';
import { openApiDocument } from '../src/openapi.ts';
import { ENDPOINTS } from '../src/endpoints.ts';

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
    document.paths['/datasets']!.get.responses = { 200: { content: {} } };
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
