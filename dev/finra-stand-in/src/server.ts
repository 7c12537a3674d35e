import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseTier, TIERS, type Tier } from '@spine/otc/tiers';
import { addDays, toIsoDate, weekEndingFromStart } from '@spine/platform';
import { pino, type Logger } from 'pino';
import * as z from 'zod';
import { weekFileName } from '@spine/otc/source/week-file-name';
import { allowedValues, answerQuery, checkQuery, dataQuerySchema, MAX_LIMIT, type DataQuery } from './data-query.ts';
import { CURRENT_MONTHS, datasetHolding, STAND_IN_DATASETS, type StandInDataset } from './datasets.ts';
import { FaultSwitchboard, faultCommandSchema, type Fault } from './faults.ts';
import { finraErrorBody, HttpProblem } from './finra-error.ts';
import { listPartitions } from './partitions.ts';
import { listRegShoPartitions, REG_SHO_DATASET, REG_SHO_FIELDS, regShoRows } from './reg-sho-daily.ts';
import { RequestLog, type RequestLogEntry } from './request-log.ts';
import { TokenIssuer, type StandInCredentials } from './token-issuer.ts';
import { VENUE_TYPES } from '@spine/otc/venue-types';
import { readWeekRows, SUMMARY_TYPES_OF, type StandInRow } from './week-rows.ts';

export const DATA_PATH_PREFIX = '/data/group/otcMarket/name/';
export const PARTITIONS_PATH_PREFIX = '/partitions/group/otcMarket/name/';
export const TOKEN_PATH = '/oauth2/token';
export const CONTROL_FAULTS_PATH = '/__standin/faults';
export const CONTROL_REQUESTS_PATH = '/__standin/requests';
export const CONTROL_TOKENS_PATH = '/__standin/tokens';

/** Platform Usage Limits: "The maximum payload size returned is 3MB." */
export const FINRA_MAX_PAYLOAD_BYTES = 3 * 1024 * 1024;
const MAX_REQUEST_BODY_BYTES = 1 << 20;

export interface FinraStandInOptions {
  /**
   * Holds `<TIER>/<week_ending>.psv` files in the FINRA or the legacy format, and FINRA's Reg SHO daily files under
   * `regsho/` (`FNSQshvol20250110.txt`).
   */
  fixturesDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** When given, data endpoints require a bearer token from /oauth2/token issued to these credentials. */
  credentials?: StandInCredentials;
  tokenTtlSeconds?: number;
  /** A page is cut once its JSON would exceed this (FINRA: 3 MB); small values force short pages. */
  maxPayloadBytes?: number;
  /** How "no rows" is answered: FINRA documents `200 []`, recent probes report `204` with no body. */
  emptyAnswer?: '200' | '204';
  /** Leave out the Record-* headers, as a proxy stripping them would. */
  recordHeaders?: boolean;
  /** The stand-in's today (YYYY-MM-DD), which decides which dataset holds a week; defaults to the real date. */
  today?: () => string;
  /**
   * How many months back weeklySummary holds weeks (FINRA's notice: 12; a public client observed weeks back to 2021
   * in 2026); weeklySummaryHistoric holds the rest of the four years.
   */
  currentMonths?: number;
  logger?: Logger;
}

export interface FinraStandIn {
  /** Base URL, e.g. http://127.0.0.1:40123: the client's baseUrl. */
  url: string;
  port: number;
  /** The client's tokenUrl. */
  tokenUrl: string;
  faults: FaultSwitchboard;
  /** Data, partitions and token requests, oldest first (control requests are not logged). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Invalidates every issued token, so the next data request with one gets 401. */
  revokeTokens(): void;
  close(): Promise<void>;
}

type RequestDetails = Partial<Pick<RequestLogEntry, 'dataset' | 'tier' | 'weekEnding' | 'offset' | 'limit' | 'rows' | 'total' | 'fault' | 'authorized'>>;
type Handler = (req: IncomingMessage, res: ServerResponse, details: RequestDetails, dataset: StandInDataset) => Promise<void>;

/**
 * A local FINRA Query API stand-in for the otcMarket weekly datasets and the Reg SHO daily short-sale volume, written to FINRA's published documentation
 * (the README names the page behind each behaviour), with fault switches, so tests and the demo exercise the real
 * client without network access.
 */
export async function startFinraStandIn(options: FinraStandInOptions): Promise<FinraStandIn> {
  const fixturesDir = path.resolve(options.fixturesDir);
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ name: 'finra-stand-in' });
  const maxPayloadBytes = options.maxPayloadBytes ?? FINRA_MAX_PAYLOAD_BYTES;
  const recordHeaders = options.recordHeaders ?? true;
  const today = options.today ?? (() => toIsoDate(new Date()));
  const currentMonths = options.currentMonths ?? CURRENT_MONTHS;
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

  /** Answers a failing fault and returns true; waits out a slow one and returns whether the client is gone. */
  async function failOrDelay(fault: Fault | undefined, res: ServerResponse, details: RequestDetails): Promise<boolean> {
    if (!fault) return false;
    details.fault = fault.kind;
    switch (fault.kind) {
      case '429':
        sendFinraError(res, 429, 'Too many requests (stand-in fault)', fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) });
        return true;
      case '500':
        sendFinraError(res, 500, 'Internal server error (stand-in fault)');
        return true;
      case '404':
        sendFinraError(res, 404, 'Not found (stand-in fault)');
        return true;
      case 'slow':
        await untilTimeOrClose(fault.delayMs, res);
        return res.destroyed;
      default:
        return false;
    }
  }

  const data: Handler = async (req, res, details, dataset) => {
    authorize(req, details);
    const query = dataQuerySchema.safeParse(await readJson(req));
    if (!query.success) throw new HttpProblem(400, `invalid request payload: ${z.prettifyError(query.error)}`);
    checkQuery(dataset, query.data);
    const weeks = requestedWeeks(query.data);
    Object.assign(details, { dataset, offset: query.data.offset, limit: query.data.limit });
    if (weeks.length === 1) Object.assign(details, { tier: weeks[0]!.tier, weekEnding: weeks[0]!.weekEnding });

    const fault = weeks.map((w) => faults.take({ endpoint: 'data', ...w })).find((f) => f !== undefined) ?? (weeks.length === 0 ? faults.take({ endpoint: 'data' }) : undefined);
    if (await failOrDelay(fault, res, details)) return;
    let rows: StandInRow[] = [];
    for (const week of weeks) {
      if (datasetHolding(addDays(week.weekEnding, -4), today(), currentMonths) !== dataset) continue;
      // Both venue types' summaries of the week are in the dataset, told apart by summaryTypeCode.
      for (const venueType of VENUE_TYPES) {
        const file = path.join(fixturesDir, ...weekFileName({ ...week, venueType }).split('/'));
        rows.push(...((await readWeekRows(file, { ...week, venueType })) ?? []));
      }
    }
    let effective = query.data;
    if (fault?.kind === 'wrong-grain') {
      // As if the server ignored the summaryTypeCode filter and served the per-issue totals of the venue type asked for.
      const asked = allowedValues(query.data, 'summaryTypeCode')?.[0];
      const perIssue = asked?.startsWith('OTC_') ? SUMMARY_TYPES_OF.NON_ATS.symbol : SUMMARY_TYPES_OF.ATS.symbol;
      rows = rows.filter((r) => r.summaryTypeCode === perIssue);
      effective = { ...effective, compareFilters: effective.compareFilters.filter((f) => f.fieldName.toLowerCase() !== 'summarytypecode') };
    }
    const answer = answerQuery(rows, effective, maxPayloadBytes);
    // Relabelled after filtering: the server found the week asked for but says it is the one before.
    if (fault?.kind === 'wrong-week') answer.page = answer.page.map((r) => ({ ...r, weekStartDate: addDays(String(r.weekStartDate), -7) }));
    sendPage(res, details, query.data, answer, fault);
  };

  /** One page of a data answer: the Record-* headers (unless left out), 204 or [] when empty, as options say. */
  function sendPage(res: ServerResponse, details: RequestDetails, query: DataQuery, answer: ReturnType<typeof answerQuery>, fault: Fault | undefined): void {
    Object.assign(details, { rows: answer.page.length, total: answer.total });
    const headers: OutgoingHttpHeaders = recordHeaders
      ? {
          'Record-Total': String(answer.total + (fault?.kind === 'miscount' ? fault.delta : 0)),
          'Record-Offset': String(query.offset), 'Record-Limit': String(answer.limit), 'Record-Max-Limit': String(MAX_LIMIT),
        }
      : {};
    if (answer.page.length === 0 && options.emptyAnswer === '204') {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    sendJson(res, 200, answer.page, headers, fault?.kind === 'truncated');
  }

  /** regShoDaily: the daily short-sale volume of the trade dates a query names (reg-sho-daily.ts). */
  const regShoData = async (req: IncomingMessage, res: ServerResponse, details: RequestDetails) => {
    authorize(req, details);
    const query = dataQuerySchema.safeParse(await readJson(req));
    if (!query.success) throw new HttpProblem(400, `invalid request payload: ${z.prettifyError(query.error)}`);
    checkQuery(REG_SHO_DATASET, query.data, REG_SHO_FIELDS);
    Object.assign(details, { dataset: REG_SHO_DATASET, offset: query.data.offset, limit: query.data.limit });
    const fault = faults.take({ endpoint: 'data' });
    if (await failOrDelay(fault, res, details)) return;
    const rows = await regShoRows(fixturesDir, query.data);
    sendPage(res, details, query.data, answerQuery(rows, query.data, maxPayloadBytes, REG_SHO_FIELDS), fault);
  };

  const regShoPartitions = async (req: IncomingMessage, res: ServerResponse, details: RequestDetails) => {
    authorize(req, details);
    details.dataset = REG_SHO_DATASET;
    const fault = faults.take({ endpoint: 'partitions' });
    if (await failOrDelay(fault, res, details)) return;
    sendJson(res, 200, await listRegShoPartitions(fixturesDir), {}, fault?.kind === 'truncated');
  };

  const partitions: Handler = async (req, res, details, dataset) => {
    authorize(req, details);
    details.dataset = dataset;
    const fault = faults.take({ endpoint: 'partitions' });
    if (await failOrDelay(fault, res, details)) return;
    sendJson(res, 200, await listPartitions(fixturesDir, dataset, today(), currentMonths), {}, fault?.kind === 'truncated');
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    // FINRA documents grant_type in the query string; a form body is taken too.
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const form = new URLSearchParams([...url.searchParams, ...new URLSearchParams(await readText(req))]);
    const answer = tokens.issue(req.headers.authorization, form);
    sendJson(res, answer.status, answer.body);
  };

  const control: Record<string, Partial<Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>>> = {
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

  /** The handler for a method and path; 404/405 as FINRA errors otherwise. */
  function route(method: string, pathname: string, details: RequestDetails): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    const datasetRoute = (prefix: string, handler: Handler, allowed: string) => {
      const dataset = decodeURIComponent(pathname.slice(prefix.length));
      // FINRA's dataset names are case-insensitive in its own samples (otcmarket/weeklysummary).
      const known = STAND_IN_DATASETS.find((d) => d.toLowerCase() === dataset.toLowerCase());
      if (!known) throw new HttpProblem(404, `no dataset ${JSON.stringify(dataset)} in group otcMarket`);
      if (method !== allowed) throw new HttpProblem(405, `${method} not allowed on ${pathname}`, { Allow: allowed });
      return (req: IncomingMessage, res: ServerResponse) => handler(req, res, details, known);
    };
    const lower = pathname.toLowerCase();
    for (const [prefix, handler, allowed] of [[DATA_PATH_PREFIX, regShoData, 'POST'], [PARTITIONS_PATH_PREFIX, regShoPartitions, 'GET']] as const) {
      if (lower !== `${prefix}${REG_SHO_DATASET}`.toLowerCase()) continue;
      if (method !== allowed) throw new HttpProblem(405, `${method} not allowed on ${pathname}`, { Allow: allowed });
      return (req: IncomingMessage, res: ServerResponse) => handler(req, res, details);
    }
    if (lower.startsWith(DATA_PATH_PREFIX.toLowerCase())) return datasetRoute(DATA_PATH_PREFIX, data, 'POST');
    if (lower.startsWith(PARTITIONS_PATH_PREFIX.toLowerCase())) return datasetRoute(PARTITIONS_PATH_PREFIX, partitions, 'GET');
    if (pathname === TOKEN_PATH) {
      if (method !== 'POST') throw new HttpProblem(405, `${method} not allowed on ${pathname}`, { Allow: 'POST' });
      return token;
    }
    const methods = control[pathname];
    if (!methods) throw new HttpProblem(404, `no such endpoint: ${pathname}`);
    const handler = methods[method];
    if (!handler) throw new HttpProblem(405, `${method} not allowed on ${pathname}`, { Allow: Object.keys(methods).join(', ') });
    return handler;
  }

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
    res.setHeader('Access-Control-Expose-Headers', 'Record-Total, Record-Offset, Record-Limit, Record-Max-Limit');
    if (method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept');
      sendStatus(res, 204);
      return;
    }
    let handling: Promise<void>;
    try {
      handling = route(method, pathname, details)(req, res);
    } catch (error) {
      handling = Promise.reject(error);
    }
    handling.catch((error: unknown) => {
      if (error instanceof HttpProblem) return sendFinraError(res, error.status, error.message, error.headers);
      logger.error({ err: error, method, path: pathname }, 'stand-in failed to answer');
      sendFinraError(res, 500, `stand-in error: ${(error as Error).message}`);
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
  logger.info({ url, fixturesDir, auth: tokens.required, maxPayloadBytes }, 'FINRA stand-in listening');

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

/**
 * The weeks a query asks for, from its weekStartDate and tierIdentifier filters (EQUAL or domain). The stand-in
 * serves fixture files one week at a time, so a query must name its weeks; FINRA itself would scan the dataset.
 */
function requestedWeeks(query: z.output<typeof dataQuerySchema>): { tier: Tier; weekEnding: string }[] {
  const starts = allowedValues(query, 'weekStartDate');
  if (starts === undefined) throw new HttpProblem(400, 'the stand-in needs a weekStartDate filter (EQUAL or domainFilters); it does not scan whole datasets');
  const tierIds = allowedValues(query, 'tierIdentifier');
  const tiers = tierIds === undefined ? [...TIERS] : tierIds.map((id) => parseTier(id)).filter((t): t is Tier => t !== undefined);
  const weeks: { tier: Tier; weekEnding: string }[] = [];
  for (const start of starts) {
    let weekEnding: string;
    try {
      weekEnding = weekEndingFromStart(start);
    } catch {
      continue; // not a Monday: no FINRA week starts there, so nothing matches
    }
    for (const tier of tiers) weeks.push({ tier, weekEnding });
  }
  return weeks;
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
    throw new HttpProblem(400, 'The request payload must be a validly formatted JSON object');
  }
}

function sendFinraError(res: ServerResponse, status: number, message: string, headers: OutgoingHttpHeaders = {}): void {
  sendJson(res, status, finraErrorBody(status, message), headers);
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
