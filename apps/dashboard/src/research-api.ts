import { createHash } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger, Pool } from '@spine/platform';
import type { DashboardEnv } from './dashboard-env.ts';
import { InputError, maskSecrets } from '@spine/platform';
import type { createRedis } from '@spine/orchestration';
import { ConflictError, describeIssues, NotFoundError, openApiDocument, verifyApiToken, type Endpoint } from '@spine/research';
import { TokenRateLimit } from './token-rate-limit.ts';

export interface ResearchApiDeps {
  env: DashboardEnv;
  pool: Pool;
  logger: Logger;
  redis: ReturnType<typeof createRedis>;
  /** The dashboard's sign-in check (session cookie or basic auth), for requests without a bearer token. */
  signIn: RequestHandler;
  /** What it serves: researchEndpoints() of the registry's datasets. */
  endpoints: readonly Endpoint[];
}

function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** Whether If-None-Match names the tag (a list of tags, weak or strong, or *). */
function matches(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const candidate = t.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === tag;
  });
}

/**
 * /api/v1, the research API: the read models of @spine/research behind the dashboard's sign-in (viewer or admin) or a
 * read-only API token (`Authorization: Bearer`, rate-limited per token). GET only, so no CSRF check applies.
 */
export function researchApi({ env, pool, logger, redis, signIn, endpoints }: ResearchApiDeps): Router {
  const limit = new TokenRateLimit(redis, { requestsPerMinute: env.RESEARCH_API_TOKEN_REQUESTS_PER_MINUTE, keyPrefix: env.QUEUE_PREFIX });
  const document = openApiDocument(endpoints);
  const api = Router();

  api.use(async (req, res, next) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined) return signIn(req, res, next);
    try {
      const token = await verifyApiToken(pool, presented);
      if (!token) return void res.status(401).set('WWW-Authenticate', 'Bearer realm="spine"').json({ error: 'unknown or revoked token' });
      const retryAfter = await limit.take(token.token_id);
      if (retryAfter) return void res.status(429).set('Retry-After', String(retryAfter)).json({ error: `too many requests for this token; try again in ${retryAfter} s` });
      req.role = 'viewer';
      next();
    } catch (error) {
      next(error);
    }
  });

  api.get('/openapi.json', (_req, res) => res.json(document));
  for (const endpoint of endpoints) api.get(endpoint.path.replace(/\{(\w+)\}/g, ':$1'), answer(endpoint));
  api.use((_req, res) => res.status(404).json({ error: 'no such endpoint; see /api/v1/openapi.json' }));
  return api;

  function answer(endpoint: Endpoint) {
    return async (req: Request, res: Response) => {
      try {
        const path: Record<string, unknown> = {};
        for (const [name, schema] of Object.entries(endpoint.pathParams)) {
          const parsed = schema.safeParse(req.params[name]);
          if (!parsed.success) return void res.status(400).json({ error: `${name}: ${describeIssues(parsed.error)}` });
          path[name] = parsed.data;
        }
        const query = endpoint.query.safeParse(req.query);
        if (!query.success) return void res.status(400).json({ error: describeIssues(query.error) });
        const result = await endpoint.run(pool, path, query.data);
        const tag = `"${createHash('sha256').update(JSON.stringify([endpoint.operationId, path, query.data, result.state])).digest('base64url')}"`;
        const asOf = query.data as { as_of_published?: string; as_of_captured?: string };
        // Loaded data changes when a week arrives or is revised; an answer as of a past point changes far less often.
        res.set('ETag', tag).set('Cache-Control', `private, max-age=${asOf.as_of_published || asOf.as_of_captured ? 3600 : 60}`);
        if (matches(req.headers['if-none-match'], tag)) return void res.status(304).end();
        const { state: _state, ...body } = result;
        res.json(body);
      } catch (error) {
        if (error instanceof ConflictError) return void res.status(409).json({ error: error.message });
        if (error instanceof NotFoundError) return void res.status(404).json({ error: error.message });
        if (error instanceof InputError) return void res.status(400).json({ error: error.message });
        logger.error({ err: maskSecrets((error as Error).message), operation: endpoint.operationId }, 'research API request failed');
        res.status(500).json({ error: 'the request failed; see the dashboard log' });
      }
    };
  }
}
