import * as z from 'zod';
import type { Endpoint } from '@spine/platform/research/research-endpoint';

const COMPONENTS = '#/components/schemas/';

type JsonObject = Record<string, unknown>;

/** A schema as OpenAPI 3.1 embeds it: JSON Schema 2020-12 without the document-level keywords. */
function embedded(schema: JsonObject): JsonObject {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function queryParameters(schema: z.ZodType): JsonObject[] {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

function pathParameters(params: Record<string, z.ZodType>): JsonObject[] {
  return Object.entries(params).map(([name, schema]) => {
    const { description, ...rest } = embedded(z.toJSONSchema(schema, { io: 'input' }) as JsonObject);
    return { name, in: 'path', required: true, ...(description ? { description } : {}), schema: rest };
  });
}

/** What every refused or failed request answers. */
const errorSchema = z.object({ error: z.string() });

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: `${COMPONENTS}Error` } } } });

/**
 * The OpenAPI 3.1 document of /api/v1, made from the endpoint table: the same zod schemas validate the requests,
 * describe the parameters (their input side) and the answers.
 */
export function openApiDocument(endpoints: readonly Endpoint[], serverUrl = '/api/v1'): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const e of endpoints) {
    for (const [id, schema] of Object.entries(e.components ?? {})) if (!registry.has(schema)) registry.add(schema, { id });
  }
  registry.add(errorSchema, { id: 'Error' });
  for (const e of endpoints) if (!registry.has(e.answer)) registry.add(e.answer, { id: e.answerName });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `${COMPONENTS}${id}` }) as { schemas: Record<string, JsonObject> };

  const paths: Record<string, JsonObject> = {};
  for (const e of endpoints) {
    paths[e.path] = {
      get: {
        operationId: e.operationId,
        summary: e.summary,
        parameters: [...pathParameters(e.pathParams), ...queryParameters(e.query)],
        responses: {
          200: {
            description: 'A page of the answer, with its provenance',
            headers: {
              ETag: { description: 'Changes when a capture behind the answer, or a calculation run on one, does', schema: { type: 'string' } },
              'Cache-Control': { schema: { type: 'string' } },
            },
            content: { 'application/json': { schema: { $ref: `${COMPONENTS}${e.answerName}` } } },
          },
          304: { description: 'Not modified: the If-None-Match tag is still the answer\'s ETag' },
          400: errorResponse('A parameter is invalid; the message names it'),
          401: errorResponse('Neither a session, basic credentials nor a live token'),
          404: errorResponse('No such capture'),
          ...(e.conflict ? { 409: errorResponse(e.conflict) } : {}),
          429: errorResponse('The token made too many requests; see Retry-After'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Market Spine research API',
      version: '1.0.0',
      description: 'The registered datasets\' data with point-in-time answers (GET /datasets lists the datasets, their periods, keys, terms ' +
        'and the paths of their questions): answers can be asked as of the publisher\'s publication date (as_of_published; where a ' +
        'question takes it, of this system\'s capture time, as_of_captured), and carry the captures they were read from. The first ' +
        'dataset\'s questions are at the root, as they were before there were others; every other ' +
        'dataset\'s are under /datasets/<name>/, with the captures of its own partitions.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerToken: [] }, { basicAuth: [] }, { session: [] }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, embedded(schema)])),
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A read-only token from `spine tokens create --name NAME`' },
        basicAuth: { type: 'http', scheme: 'basic', description: 'The dashboard\'s viewer or admin user' },
        session: { type: 'apiKey', in: 'cookie', name: 'spine_session', description: 'A dashboard sign-in' },
      },
    },
  };
}
