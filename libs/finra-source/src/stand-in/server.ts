import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseTier, type Tier } from '@spine/otc/tiers';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import { WEEKLY_SUMMARY_PATH } from '../finra-api/finra-api-source.ts';
import { FINRA_MAX_PAGE_SIZE } from '../finra-api/options.ts';
import { weekEndingFromStart } from '../week-dates.ts';
import { weekFileName } from '../week-file-name.ts';
import { FaultSwitchboard, faultCommandSchema, type Fault } from './faults.ts';
import { readFixtureRows } from './fixture-rows.ts';
import { listPartitions } from './partitions.ts';
import { RequestLog, type RequestLogEntry } from './request-log.ts';
import { TokenIssuer, type StandInCredentials } from './token-issuer.ts';

export const PARTITIONS_PATH = `${WEEKLY_SUMMARY_PATH}/partitions`;
export const TOKEN_PATH = '/oauth2/token';
export const CONTROL_FAULTS_PATH = '/__standin/faults';
export const CONTROL_REQUESTS_PATH = '/__standin/requests';
export const CONTROL_TOKENS_PATH = '/__standin/tokens';

const MAX_REQUEST_BODY_BYTES = 1 << 20;

export interface FinraStandInOptions {
  /** Holds `<TIER>/<week_ending>.psv` files in the FINRA or the legacy format. */
  fixturesDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** When given, data endpoints require a bearer token from /oauth2/token issued to these credentials. */
  credentials?: StandInCredentials;
  tokenTtlSeconds?: number;
  logger?: Logger;
}

export interface FinraStandIn {
  /** Base URL, e.g. http://127.0.0.1:40123: the client's baseUrl. */
  url: string;
  port: number;
  /** The client's tokenUrl. */
  tokenUrl: string;
  faults: FaultSwitchboard;
  /** Data and token requests, oldest first (control requests are not logged). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Invalidates every issued token, so the next data request with one gets 401. */
  revokeTokens(): void;
  close(): Promise<void>;
}

/** An answer other than 200 that ends the handling of a request. */
class HttpProblem extends Error {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;

  constructor(status: number, message: string, headers: OutgoingHttpHeaders = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

const queryBodySchema = z.object({
  compareFilters: z.array(z.object({ compareType: z.string(), fieldName: z.string(), fieldValue: z.unknown() })).default([]),
  limit: z.number().int().min(1).max(FINRA_MAX_PAGE_SIZE).default(FINRA_MAX_PAGE_SIZE),
  offset: z.number().int().min(0).default(0),
});

type RequestDetails = Partial<Pick<RequestLogEntry, 'tier' | 'weekEnding' | 'offset' | 'limit' | 'rows' | 'fault' | 'authorized'>>;
type Handler = (req: IncomingMessage, res: ServerResponse, details: RequestDetails) => Promise<void>;

/**
 * A local FINRA Query API stand-in serving weeklySummary rows from fixture files, with fault switches, so tests
 * and the demo exercise the real client code without network access. Endpoints are listed in the README.
 */
export async function startFinraStandIn(options: FinraStandInOptions): Promise<FinraStandIn> {
  const fixturesDir = path.resolve(options.fixturesDir);
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ name: 'finra-stand-in' });
  const faults = new FaultSwitchboard();
  const requestLog = new RequestLog();
  const tokens = new TokenIssuer(options.credentials, options.tokenTtlSeconds ?? 3600);

  function authorize(req: IncomingMessage, details: RequestDetails): void {
    if (!tokens.required) return;
    details.authorized = tokens.isAuthorized(req.headers.authorization);
    if (!details.authorized) {
      throw new HttpProblem(401, 'missing, expired or revoked bearer token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
  }

  /** Answers a failing fault and returns true; waits out a slow one and returns whether the client is still there. */
  async function failOrDelay(fault: Fault | undefined, res: ServerResponse, details: RequestDetails): Promise<boolean> {
    if (!fault) return false;
    details.fault = fault.kind;
    switch (fault.kind) {
      case '429':
        sendJson(res, 429, { error: 'Too Many Requests (stand-in fault)' }, fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) });
        return true;
      case '500':
        sendJson(res, 500, { error: 'Internal Server Error (stand-in fault)' });
        return true;
      case 'slow':
        await untilTimeOrClose(fault.delayMs, res);
        return res.destroyed;
      case 'truncated':
        return false;
    }
  }

  const weeklySummary: Handler = async (req, res, details) => {
    authorize(req, details);
    const query = queryBodySchema.safeParse(await readJson(req));
    if (!query.success) throw new HttpProblem(400, `invalid query: ${z.prettifyError(query.error)}`);
    const { compareFilters, limit, offset } = query.data;
    const equal = (fieldName: string) => {
      const filter = compareFilters.find((f) => f.fieldName === fieldName && f.compareType.toUpperCase() === 'EQUAL');
      return filter === undefined ? undefined : String(filter.fieldValue);
    };
    const { tier, weekEnding } = requestedWeek(equal('tierIdentifier'), equal('weekStartDate'));
    Object.assign(details, { tier, weekEnding, offset, limit });

    const fault = faults.take({ tier, weekEnding });
    if (await failOrDelay(fault, res, details)) return;
    const file = path.join(fixturesDir, ...weekFileName({ tier, weekEnding }).split('/'));
    const rows = (await readFixtureRows(file, { tier, weekEnding, summaryTypeCode: equal('summaryTypeCode') ?? 'ATS_W_SMBL' })) ?? [];
    const page = rows.slice(offset, offset + limit);
    details.rows = page.length;
    sendJson(res, 200, page, {}, fault?.kind === 'truncated');
  };

  const partitions: Handler = async (req, res, details) => {
    authorize(req, details);
    const fault = faults.take({});
    if (await failOrDelay(fault, res, details)) return;
    sendJson(res, 200, await listPartitions(fixturesDir), {}, fault?.kind === 'truncated');
  };

  const token: Handler = async (req, res) => {
    // FINRA's token endpoint also takes grant_type in the query string.
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const form = new URLSearchParams([...url.searchParams, ...new URLSearchParams(await readText(req))]);
    const answer = tokens.issue(req.headers.authorization, form);
    sendJson(res, answer.status, answer.body);
  };

  const routes: Record<string, Partial<Record<string, Handler>>> = {
    [WEEKLY_SUMMARY_PATH]: { POST: weeklySummary },
    [PARTITIONS_PATH]: { GET: partitions },
    [TOKEN_PATH]: { POST: token },
    [CONTROL_FAULTS_PATH]: {
      GET: async (_req, res) => sendJson(res, 200, faults.snapshot()),
      POST: async (req, res) => {
        const body = await readJson(req);
        const commands = z.array(faultCommandSchema).safeParse(Array.isArray(body) ? body : [body]);
        if (!commands.success) throw new HttpProblem(400, `invalid fault: ${z.prettifyError(commands.error)}`);
        try {
          for (const command of commands.data) faults.apply(command);
        } catch (error) {
          throw new HttpProblem(400, (error as Error).message);
        }
        sendJson(res, 200, faults.snapshot());
      },
      DELETE: async (_req, res) => {
        faults.clear();
        sendJson(res, 200, faults.snapshot());
      },
    },
    [CONTROL_REQUESTS_PATH]: {
      GET: async (_req, res) => sendJson(res, 200, requestLog.list()),
      DELETE: async (_req, res) => {
        requestLog.clear();
        sendStatus(res, 204);
      },
    },
    [CONTROL_TOKENS_PATH]: {
      DELETE: async (_req, res) => {
        tokens.revokeAll();
        sendStatus(res, 204);
      },
    },
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const at = new Date().toISOString();
    const method = req.method ?? 'GET';
    const { pathname } = new URL(req.url ?? '/', 'http://stand-in');
    const details: RequestDetails = {};
    const isControl = pathname.startsWith('/__standin/');
    res.on('close', () => {
      const summary = { at, method, path: pathname, status: res.statusCode, completed: res.writableFinished, durationMs: Math.round(performance.now() - started), ...details };
      if (isControl) logger.debug(summary, 'stand-in control request');
      else logger.info(requestLog.add(summary), 'stand-in request');
    });

    // Browser tests drive the control endpoints from a page, so every answer allows any origin.
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept');
      sendStatus(res, 204);
      return;
    }
    const methods = routes[pathname];
    const handler = methods?.[method];
    const handling = handler
      ? handler(req, res, details)
      : Promise.reject(
          methods
            ? new HttpProblem(405, `${method} not allowed on ${pathname}`, { Allow: Object.keys(methods).join(', ') })
            : new HttpProblem(404, `no such endpoint: ${pathname}`),
        );
    handling.catch((error: unknown) => {
      if (error instanceof HttpProblem) return sendJson(res, error.status, { error: error.message }, error.headers);
      logger.error({ err: error, method, path: pathname }, 'stand-in failed to answer');
      sendJson(res, 500, { error: `stand-in error: ${(error as Error).message}` });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, fixturesDir, auth: tokens.required }, 'FINRA stand-in listening');

  return {
    url,
    port,
    tokenUrl: `${url}${TOKEN_PATH}`,
    faults,
    requests: () => requestLog.list(),
    clearRequests: () => requestLog.clear(),
    revokeTokens: () => tokens.revokeAll(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets and slow-fault answers would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** Resolves the filters to a canonical tier and week, or answers 400 naming the bad value. */
function requestedWeek(tierIdentifier: string | undefined, weekStart: string | undefined): { tier: Tier; weekEnding: string } {
  if (tierIdentifier === undefined || weekStart === undefined) {
    throw new HttpProblem(400, 'the stand-in needs EQUAL compareFilters on tierIdentifier and weekStartDate');
  }
  const tier = parseTier(tierIdentifier);
  if (!tier) throw new HttpProblem(400, `unknown tierIdentifier ${JSON.stringify(tierIdentifier)}`);
  try {
    return { tier, weekEnding: weekEndingFromStart(weekStart) };
  } catch {
    throw new HttpProblem(400, `weekStartDate ${JSON.stringify(weekStart)} is not a Monday in YYYY-MM-DD form`);
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) throw new HttpProblem(413, `request body over ${MAX_REQUEST_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'request body is not valid JSON');
  }
}

/** With `truncate`, sends only the first half of the JSON (a well-formed HTTP answer whose body does not parse). */
function sendJson(res: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders = {}, truncate = false): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify(value);
  const body = truncate ? json.slice(0, Math.floor(json.length / 2)) : json;
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendStatus(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** Waits `ms`, or less when the client disconnects (its timeout fired) or the server is closing. */
function untilTimeOrClose(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}
