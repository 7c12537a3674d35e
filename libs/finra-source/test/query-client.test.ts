import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QUERY_API_DATASET, regShoDailyRecord, type RegShoDailyRecord } from '@spine/regsho';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FinraHttpError, FinraResponseError, PartitionsUnknownError } from '../src/finra-api/errors.ts';
import { FinraQueryClient } from '../src/finra-api/query-client.ts';
import { silentLogger, tempFiles } from './support.ts';

/**
 * The generic client asked for another dataset than OTC's: FINRA's Reg SHO daily short-sale volume (regShoDaily,
 * partitioned by tradeReportDate), answered by a small server speaking the Query API's protocol as DOMAIN.md
 * describes it: Record-Total, pages cut short by the payload cap, 204 for no records, FINRA's error body.
 */
const TRADE_DATE = '2026-01-05';
const SYMBOLS = ['AAPL', 'AMD', 'MSFT', 'NVDA', 'TSLA'];
const records = SYMBOLS.map((symbol, i) => ({
  tradeReportDate: TRADE_DATE, securitiesInformationProcessorSymbolIdentifier: symbol, shortParQuantity: 1000 * (i + 1) + 0.5,
  shortExemptParQuantity: i, totalParQuantity: 3000 * (i + 1), marketCode: 'Q', reportingFacilityCode: 'NQTRF',
}));
/** Rows per answer at most, whatever the limit: FINRA cuts a page at 3 MB, so a short page is not the end. */
const PAYLOAD_ROWS = 3;

interface Seen { method: string; path: string; body?: { compareFilters: { fieldName: string; fieldValue: string }[]; fields: string[]; limit: number; offset: number } }
let seen: Seen[] = [];
let badRecord = false;
let server: Server;
let baseUrl: string;

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '';
      const text = await bodyOf(req);
      const body = text ? (JSON.parse(text) as Seen['body']) : undefined;
      seen.push({ method: req.method ?? '', path, body });
      if (req.method === 'GET' && path === '/partitions/group/otcMarket/name/regShoDaily') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ partitionFields: ['tradeReportDate'], availablePartitions: [{ partitions: ['2026-01-02'] }, { partitions: [TRADE_DATE] }] }));
        return;
      }
      if (req.method !== 'POST' || path !== '/data/group/otcMarket/name/regShoDaily' || !body) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 400, statusDescription: 'Bad Request', requestId: '5e1f0c1a-0000-4000-8000-000000000001', message: 'Dataset not found' }));
        return;
      }
      const date = body.compareFilters.find((f) => f.fieldName === 'tradeReportDate')?.fieldValue;
      const matching = records.filter((r) => r.tradeReportDate === date);
      if (matching.length === 0) {
        res.writeHead(204).end();
        return;
      }
      const page = matching.slice(body.offset, body.offset + Math.min(body.limit, PAYLOAD_ROWS))
        .map((r) => (badRecord ? { ...r, marketCode: 'Z' } : Object.fromEntries(body.fields.map((f) => [f, r[f as keyof typeof r]]))));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Record-Total': String(matching.length) });
      res.end(JSON.stringify(page));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  badRecord = false;
});

const client = (pageSize = 5000) => new FinraQueryClient({ baseUrl, pageSize, maxAttempts: 1 });
const FIELDS = ['tradeReportDate', 'securitiesInformationProcessorSymbolIdentifier', 'shortParQuantity', 'shortExemptParQuantity', 'totalParQuantity', 'marketCode', 'reportingFacilityCode'];
const request = (tradeReportDate: string) => ({
  group: QUERY_API_DATASET.group, name: QUERY_API_DATASET.name, fields: FIELDS,
  filters: { [QUERY_API_DATASET.partitionField]: tradeReportDate }, record: regShoDailyRecord, recordsName: 'regShoDaily records',
});

async function readAll<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

describe('FinraQueryClient on another dataset (regShoDaily)', () => {
  it('pages by Record-Total, past short pages, and returns the records parsed by the dataset\'s schema', async () => {
    const answer = await client(2).open(request(TRADE_DATE));
    expect(answer.empty).toBe(false);
    const got: RegShoDailyRecord[] = await readAll(answer.pages);
    expect(got.map((r) => r.securitiesInformationProcessorSymbolIdentifier)).toEqual(SYMBOLS);
    expect(got[0]).toEqual({ ...records[0], shortParQuantity: '1000.5', shortExemptParQuantity: '0', totalParQuantity: '3000' });
    expect(seen.map((s) => [s.body?.offset, s.body?.limit])).toEqual([[0, 2], [2, 2], [4, 2]]);
    expect(seen[0]?.body?.compareFilters).toEqual([{ compareType: 'EQUAL', fieldName: 'tradeReportDate', fieldValue: TRADE_DATE }]);
    expect(answer.label).toBe(`POST ${baseUrl}/data/group/otcMarket/name/regShoDaily tradeReportDate=${TRADE_DATE}`);
    expect(JSON.parse(new URL(answer.uri).searchParams.get('request')!)).toEqual({ compareFilters: seen[0]?.body?.compareFilters, fields: FIELDS });
  });

  it('advances by the rows received when the payload cap cuts a page short of the limit', async () => {
    const got = await readAll((await client().open(request(TRADE_DATE))).pages);
    expect(got).toHaveLength(SYMBOLS.length);
    expect(seen.map((s) => s.body?.offset)).toEqual([0, PAYLOAD_ROWS]);
  });

  it('takes 204 as no records', async () => {
    const answer = await client().open(request('2026-01-03'));
    expect(answer.empty).toBe(true);
    expect(await readAll(answer.pages)).toEqual([]);
  });

  it('fails, not retryably, on records the dataset\'s schema refuses, naming the query', async () => {
    badRecord = true;
    const error = await client().open(request(TRADE_DATE)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraResponseError);
    expect((error as FinraResponseError).retryable).toBe(false);
    expect((error as Error).message).toContain(`Invalid response from POST ${baseUrl}/data/group/otcMarket/name/regShoDaily tradeReportDate=${TRADE_DATE}: expected an array of regShoDaily records`);
    expect((error as Error).message).toContain('unknown marketCode "Z"');
  });

  it('reads the dataset\'s partitions with the caller\'s reader', async () => {
    const dates = await client().partitions({ ...QUERY_API_DATASET, unknown: 'which trade dates are published' }, (answer) => {
      const at = answer.partitionFields.indexOf(QUERY_API_DATASET.partitionField);
      return answer.partitions.map((p) => p[at]);
    });
    expect(dates).toEqual(['2026-01-02', TRADE_DATE]);
    expect(seen.map((s) => [s.method, s.path])).toEqual([['GET', '/partitions/group/otcMarket/name/regShoDaily']]);
  });

  it('takes partitions its reader cannot read as unknown, in the dataset\'s words', async () => {
    const error = await client()
      .partitions({ ...QUERY_API_DATASET, unknown: 'which trade dates are published' }, (answer) => {
        throw answer.invalid('no tradeReportDate');
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartitionsUnknownError);
    expect((error as Error).message).toBe(
      `FINRA's partitions at ${baseUrl}/partitions/group/otcMarket/name/regShoDaily could not be read (Invalid response from ${baseUrl}/partitions/group/otcMarket/name/regShoDaily: no tradeReportDate): which trade dates are published is unknown`,
    );
  });

  it('parses FINRA\'s error body into the typed error', async () => {
    const error = await client().open({ ...request(TRADE_DATE), name: 'regShoDailyNoSuch' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraHttpError);
    expect((error as Error).message).toBe(`HTTP 400 from ${baseUrl}/data/group/otcMarket/name/regShoDailyNoSuch: Dataset not found (FINRA requestId 5e1f0c1a-0000-4000-8000-000000000001)`);
    expect((error as FinraHttpError).retryable).toBe(false);
  });
});

describe('FinraQueryClient and the FINRA stand-in\'s regShoDaily, with OAuth2', () => {
  const HEADER = 'Date|Symbol|ShortVolume|ShortExemptVolume|TotalVolume|Market';
  const credentials = { clientId: 'spine', clientSecret: 's3cret' };
  let fixtures: Awaited<ReturnType<typeof tempFiles>>;
  let standIn: FinraStandIn;

  beforeAll(async () => {
    fixtures = await tempFiles({
      'regsho/FNSQshvol20250110.txt': `${HEADER}\n20250110|AAPL|1200.5|10|3000.25|Q\n20250110|MSFT|0|0|7|Q\n20250110|ZZZ|5|1|9|Q\n3\n`,
      'regsho/FNYXshvol20250110.txt': `${HEADER}\n20250110|AAPL|100|0|400|N\n1\n`,
      'regsho/FNSQshvol20250108.txt': `${HEADER}\n0\n`,
    });
    standIn = await startFinraStandIn({ fixturesDir: fixtures.dir, credentials, logger: silentLogger });
  });
  afterAll(async () => {
    await standIn?.close();
    await fixtures?.remove();
  });

  it('pages a trade date by Record-Total with a token, and lists the trade dates as partitions', async () => {
    const api = new FinraQueryClient({ baseUrl: standIn.url, tokenUrl: standIn.tokenUrl, ...credentials, pageSize: 3, maxAttempts: 1 });
    const answer = await api.open({ ...request('2025-01-10'), sortFields: ['marketCode', 'securitiesInformationProcessorSymbolIdentifier'] });
    const got = await readAll(answer.pages);
    expect(got.map((r) => [r.marketCode, r.securitiesInformationProcessorSymbolIdentifier, r.shortParQuantity])).toEqual(
      expect.arrayContaining([['Q', 'AAPL', '1200.5'], ['Q', 'MSFT', '0'], ['Q', 'ZZZ', '5'], ['N', 'AAPL', '100']]),
    );
    expect(got).toHaveLength(4);
    const data = standIn.requests().filter((r) => r.path === '/data/group/otcMarket/name/regShoDaily');
    expect(data.map((r) => [r.offset, r.limit, r.rows, r.total, r.authorized])).toEqual([[0, 3, 3, 4, true], [3, 3, 1, 4, true]]);
    expect((await api.open(request('2025-01-08'))).empty).toBe(true);
    const dates = await api.partitions({ ...QUERY_API_DATASET, unknown: 'which trade dates are published' }, (p) => p.partitions.map((entry) => entry[p.partitionFields.indexOf('tradeReportDate')]));
    expect(dates).toEqual(['2025-01-10', '2025-01-08']);
  });
});
