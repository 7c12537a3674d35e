import { FileTooLargeError } from '@spine/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceNotFoundError } from '@spine/platform';
import {
  FinraHttpError, FinraResponseError, FinraRetriesExhaustedError, FinraTimeoutError, PartitionsUnknownError, sourceAccess, type FinraApiOptions, type RetryEvent,
} from '@spine/finra-source';
import { FINRA_FILE_HEADER } from '@spine/otc/finra-query/row-format';
import { OtcQuerySource } from '@spine/otc/source/otc-query-source';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in/server';
import { finraFile, readText, silentLogger, tempFiles } from '../../libs/finra-source/test/support.ts';

/** OTC's weeks from FINRA's Query API, on what the worker reaches for a job whose source is `finra`. */
function otcFinraSource(finraApi: FinraApiOptions, limits: { maxFileBytes?: number } = {}): OtcQuerySource {
  const access = sourceAccess('finra', { finraApi, ...limits });
  if (access.kind !== 'api') throw new Error(`finra reached ${access.kind}`);
  return new OtcQuerySource(access.query, access.common);
}

const WEEK = { key1: 'OTC', periodEnd: '2025-11-28', key2: 'ATS' } as const;
/** The day both the stand-in and the client take as today: the fixture weeks are then in the current dataset. */
const TODAY = '2026-01-05';
const now = () => new Date(`${TODAY}T12:00:00Z`);
const FIVE_ROWS = finraFile(5);

let fixtures: Awaited<ReturnType<typeof tempFiles>>;
let standIn: FinraStandIn;

beforeAll(async () => {
  fixtures = await tempFiles({
    'OTC/2025-11-28.psv': FIVE_ROWS.text,
    'OTC/2025-12-05.psv': finraFile(4).text,
    'NMS_TIER_1/2025-12-12.psv': 'WeekEnding|Tier|Symbol|MPID|TotalShares|TotalTrades\n2025-12-12|T1|AAPL|UBSA|3000000000|10\n',
  });
  standIn = await startFinraStandIn({ fixturesDir: fixtures.dir, logger: silentLogger, today: () => TODAY });
});
afterAll(async () => {
  await standIn.close();
  await fixtures.remove();
});
afterEach(() => {
  standIn.faults.clear();
  standIn.clearRequests();
});

/** Millisecond-level delays keep the retry tests fast; the events record each retry. */
function source(overrides: Partial<FinraApiOptions> = {}): { source: OtcQuerySource; retries: RetryEvent[] } {
  const retries: RetryEvent[] = [];
  const source = otcFinraSource({
    baseUrl: standIn.url,
    pageSize: 2,
    maxAttempts: 4,
    baseDelayMs: 1,
    maxDelayMs: 50,
    timeoutMs: 2000,
    onRetry: (event) => retries.push(event),
    now,
    ...overrides,
  });
  return { source, retries };
}

describe('OTC weeks from the FINRA Query API', () => {
  it('pages with a small page size and yields every line exactly once, in order', async () => {
    const { source: api } = source();
    const { body, sourceUri } = await api.open(WEEK);
    expect(await readText(body)).toBe(FIVE_ROWS.text);
    const uri = new URL(sourceUri);
    expect(`${uri.origin}${uri.pathname}`).toBe(`${standIn.url}/data/group/otcMarket/name/weeklySummary`);
    expect(JSON.parse(uri.searchParams.get('request')!)).toMatchObject({
      compareFilters: [
        { compareType: 'EQUAL', fieldName: 'weekStartDate', fieldValue: '2025-11-24' },
        { compareType: 'EQUAL', fieldName: 'tierIdentifier', fieldValue: 'OTCE' },
        { compareType: 'EQUAL', fieldName: 'summaryTypeCode', fieldValue: 'ATS_W_SMBL_FIRM' },
      ],
      sortFields: ['summaryTypeCode', 'issueSymbolIdentifier', 'MPID'],
    });
    expect(standIn.requests().map((r) => [r.offset, r.limit, r.rows, r.total])).toEqual([
      [0, 2, 2, 5],
      [2, 2, 2, 5],
      [4, 2, 1, 5],
    ]);
  });

  it('stops when the offset reaches Record-Total, without asking for an empty page', async () => {
    const { source: api } = source();
    const { body } = await api.open({ key1: 'OTC', periodEnd: '2025-12-05', key2: 'ATS' });
    expect(await readText(body)).toBe(finraFile(4).text);
    expect(standIn.requests().map((r) => r.rows)).toEqual([2, 2]);
  });

  it('records a source URI that replays to the same rows', async () => {
    const { source: api } = source({ pageSize: 5000 });
    const { body, sourceUri } = await api.open(WEEK);
    await readText(body);
    const uri = new URL(sourceUri);
    const answer = await fetch(`${uri.origin}${uri.pathname}`, {
      method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: uri.searchParams.get('request')!,
    });
    const rows = (await answer.json()) as Record<string, unknown>[];
    expect(rows.map((r) => r.issueSymbolIdentifier)).toEqual(['S000', 'S001', 'S002', 'S003', 'S004']);
    expect(answer.headers.get('record-total')).toBe('5');
  });

  it('gathers FINRA\'s publication dates of the answer, which the file has no column for, once the body is read', async () => {
    const { source: api } = source();
    const { body, sourceUri, publication } = await api.open(WEEK);
    const request = JSON.parse(new URL(sourceUri).searchParams.get('request')!) as { fields: string[] };
    expect(request.fields).toEqual(expect.arrayContaining(['initialPublishedDate', 'lastReportedDate']));
    expect(await readText(body)).toBe(FIVE_ROWS.text);
    // The stand-in publishes an OTC week 31 days after its Friday, and reports no lastReportedDate.
    expect(publication!()).toEqual({ initialPublishedDate: '2025-12-29' });
  });

  it('fetches later pages only as the body is read', async () => {
    const { source: api } = source();
    const { body } = await api.open(WEEK);
    expect(standIn.requests()).toHaveLength(1);
    await readText(body);
    expect(standIn.requests()).toHaveLength(3);
  });

  it('serves legacy-format fixtures converted to the FINRA format', async () => {
    const { source: api } = source();
    const { body } = await api.open({ key1: 'NMS_TIER_1', periodEnd: '2025-12-12', key2: 'ATS' });
    expect(await readText(body)).toBe(`${FINRA_FILE_HEADER}\nNMS Tier 1|AAPL|||UBSA|3000000000|10|2025-12-29\n`);
  });

  it('rejects an absent week with SourceNotFoundError naming the query', async () => {
    const { source: api } = source();
    const error = await api.open({ key1: 'NMS_TIER_2', periodEnd: '2025-11-28', key2: 'ATS' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceNotFoundError);
    expect(error).toMatchObject({ key1: 'NMS_TIER_2', periodEnd: '2025-11-28' });
    expect((error as Error).message).toContain('tierIdentifier=T2');
  });

  it('rejects a week ending that is not a Friday before any request', async () => {
    const { source: api } = source();
    await expect(api.open({ key1: 'OTC', periodEnd: '2025-11-27', key2: 'ATS' })).rejects.toThrow('2025-11-27 is a Thursday; week_ending must be a Friday');
    expect(standIn.requests()).toHaveLength(0);
  });

  it('retries 429 after Retry-After (capped) and 500 with backoff, then succeeds', async () => {
    standIn.faults.push({ kind: '429', retryAfterSeconds: 1 });
    standIn.faults.push({ kind: '500' });
    const { source: api, retries } = source({ pageSize: 5000 });
    const { body } = await api.open(WEEK);
    expect(await readText(body)).toBe(FIVE_ROWS.text);
    expect(standIn.requests().map((r) => r.status)).toEqual([429, 500, 200]);
    expect(retries.map((r) => [r.attempt, (r.error as FinraHttpError).status])).toEqual([
      [1, 429],
      [2, 500],
    ]);
    // Retry-After: 1 s, capped by maxDelayMs; the 500 backs off within [0, baseDelayMs * 2].
    expect(retries[0]?.delayMs).toBe(50);
    expect(retries[1]?.delayMs).toBeLessThanOrEqual(2);
  });

  it('retries a page that fails in the middle of paging', async () => {
    standIn.faults.push({ kind: '500' });
    const { source: api } = source();
    const { body } = await api.open(WEEK);
    standIn.faults.push({ kind: '500' });
    expect(await readText(body)).toBe(FIVE_ROWS.text);
    expect(standIn.requests().map((r) => [r.offset, r.status])).toEqual([
      [0, 500],
      [0, 200],
      [2, 500],
      [2, 200],
      [4, 200],
    ]);
  });

  it('retries an answer slower than the timeout', async () => {
    standIn.faults.push({ kind: 'slow', delayMs: 5000 });
    const { source: api, retries } = source({ pageSize: 5000, timeoutMs: 300 });
    const { body } = await api.open(WEEK);
    expect(await readText(body)).toBe(FIVE_ROWS.text);
    expect(retries.map((r) => r.error)).toEqual([expect.any(FinraTimeoutError)]);
    expect(standIn.requests().map((r) => [r.fault, r.completed])).toEqual([
      ['slow', false],
      [undefined, true],
    ]);
  });

  it('waits for a slow answer within the timeout', async () => {
    standIn.faults.push({ kind: 'slow', delayMs: 30 });
    const { source: api, retries } = source({ pageSize: 5000 });
    expect(await readText((await api.open(WEEK)).body)).toBe(FIVE_ROWS.text);
    expect(retries).toEqual([]);
  });

  it('retries a truncated body', async () => {
    standIn.faults.push({ kind: 'truncated' });
    const { source: api, retries } = source({ pageSize: 5000 });
    expect(await readText((await api.open(WEEK)).body)).toBe(FIVE_ROWS.text);
    expect(retries.map((r) => r.error)).toEqual([expect.any(FinraResponseError)]);
    expect(retries[0]?.error.message).toContain('not valid JSON');
  });

  it('only applies faults to matching requests', async () => {
    standIn.faults.push({ kind: '500' }, { tier: 'T1' });
    const { source: api, retries } = source({ pageSize: 5000 });
    await readText((await api.open(WEEK)).body);
    expect(retries).toEqual([]);
    await readText((await api.open({ key1: 'NMS_TIER_1', periodEnd: '2025-12-12', key2: 'ATS' })).body);
    expect(retries).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    standIn.faults.set({ kind: '500' });
    const { source: api } = source({ maxAttempts: 3 });
    const error = await api.open(WEEK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraRetriesExhaustedError);
    expect(error).toMatchObject({ attempts: 3, lastError: { status: 500 } });
    expect((error as Error).message).toMatch(/after 3 attempts: HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/data\/group\/otcMarket/);
    expect(standIn.requests()).toHaveLength(3);
  });

  it('stops retrying when the caller aborts', async () => {
    standIn.faults.set({ kind: '500' });
    const { source: api } = source({ maxAttempts: 10, baseDelayMs: 10_000, maxDelayMs: 10_000 });
    const controller = new AbortController();
    const opening = api.open(WEEK, controller.signal);
    setTimeout(() => controller.abort(new Error('job cancelled')), 50);
    await expect(opening).rejects.toThrow('job cancelled');
    expect(standIn.requests()).toHaveLength(1);
  });
});

describe('OTC weeks from the FINRA Query API against a stand-in that requires OAuth2', () => {
  const credentials = { clientId: 'spine', clientSecret: 's3cret' };
  let secured: FinraStandIn;

  beforeAll(async () => {
    secured = await startFinraStandIn({ fixturesDir: fixtures.dir, credentials, logger: silentLogger, today: () => TODAY });
  });
  afterAll(() => secured.close());
  afterEach(() => secured.clearRequests());

  const tokenRequests = () => secured.requests().filter((r) => r.path === '/oauth2/token').length;

  it('fetches a token once and reuses it, then refreshes it once on 401', async () => {
    const { source: api, retries } = source({ baseUrl: secured.url, tokenUrl: secured.tokenUrl, ...credentials });
    await readText((await api.open(WEEK)).body);
    await readText((await api.open(WEEK)).body);
    expect(tokenRequests()).toBe(1);
    expect(secured.requests().filter((r) => r.path !== '/oauth2/token').every((r) => r.authorized)).toBe(true);

    secured.revokeTokens();
    expect(await readText((await api.open(WEEK)).body)).toBe(FIVE_ROWS.text);
    expect(tokenRequests()).toBe(2);
    expect(secured.requests().map((r) => r.status)).toContain(401);
    expect(retries).toEqual([]);
  });

  it('fails fast with status, URL and body on a 4xx other than 429', async () => {
    const { source: anonymous, retries } = source({ baseUrl: secured.url });
    const error = await anonymous.open(WEEK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraHttpError);
    // FINRA's error body: its message and the request id FINRA support asks for.
    expect((error as Error).message).toMatch(
      new RegExp(`^HTTP 401 from ${secured.url}/data/group/otcMarket/name/weeklySummary: missing, expired or revoked bearer token \\(FINRA requestId [0-9a-f-]{36}\\)$`),
    );
    expect((error as FinraHttpError).finra).toMatchObject({ statusCode: 401, statusDescription: 'Unauthorized' });
    expect(retries).toEqual([]);
    expect(secured.requests()).toHaveLength(1);
  });

  it('fails fast when the token endpoint refuses the credentials', async () => {
    const { source: api } = source({ baseUrl: secured.url, tokenUrl: secured.tokenUrl, clientId: 'spine', clientSecret: 'wrong' });
    await expect(api.open(WEEK)).rejects.toThrow(`HTTP 401 from ${secured.tokenUrl}: {"error":"invalid_client"`);
    expect(tokenRequests()).toBe(1);
  });
});

describe('OTC weeks from the FINRA Query API: the documented protocol', () => {
  /** A stand-in started for one test with its own options, closed after it. */
  async function withStandIn<T>(options: Partial<Parameters<typeof startFinraStandIn>[0]>, run: (s: FinraStandIn) => Promise<T>): Promise<T> {
    const own = await startFinraStandIn({ fixturesDir: fixtures.dir, logger: silentLogger, today: () => TODAY, ...options });
    try {
      return await run(own);
    } finally {
      await own.close();
    }
  }

  it('pages past short pages cut by the payload limit, advancing by the rows received', async () => {
    await withStandIn({ maxPayloadBytes: 700 }, async (short) => {
      const { source: api } = source({ baseUrl: short.url, pageSize: 5000 });
      expect(await readText((await api.open(WEEK)).body)).toBe(FIVE_ROWS.text);
      const pages = short.requests().map((r) => [r.offset, r.rows]);
      expect(pages.length).toBeGreaterThan(1);
      let expectedOffset = 0;
      for (const [offset, rows] of pages) {
        expect(offset).toBe(expectedOffset);
        expectedOffset += rows!;
      }
      expect(expectedOffset).toBe(5);
    });
  });

  it('pages until an empty page when Record-Total is absent', async () => {
    await withStandIn({ recordHeaders: false }, async (bare) => {
      const { source: api } = source({ baseUrl: bare.url });
      expect(await readText((await api.open({ key1: 'OTC', periodEnd: '2025-12-05', key2: 'ATS' })).body)).toBe(finraFile(4).text);
      expect(bare.requests().map((r) => r.rows)).toEqual([2, 2, 0]);
    });
  });

  it.each(['200', '204'] as const)('takes an empty answer (%s) as "not published"', async (emptyAnswer) => {
    await withStandIn({ emptyAnswer }, async (empty) => {
      const { source: api } = source({ baseUrl: empty.url });
      const error = await api.open({ key1: 'NMS_TIER_2', periodEnd: '2025-11-28', key2: 'ATS' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceNotFoundError);
      expect(empty.requests().map((r) => r.status)).toEqual([emptyAnswer === '200' ? 200 : 204]);
    });
  });

  it('fails a per-issue answer (wrong grain) at once, naming the request', async () => {
    standIn.faults.push({ kind: 'wrong-grain' });
    const { source: api, retries } = source({ pageSize: 5000 });
    const error = await readText((await api.open(WEEK)).body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraResponseError);
    expect((error as FinraResponseError).retryable).toBe(false);
    expect((error as Error).message).toBe(
      `Invalid response from POST ${standIn.url}/data/group/otcMarket/name/weeklySummary weekStartDate=2025-11-24 tierIdentifier=OTCE summaryTypeCode=ATS_W_SMBL_FIRM: ` +
        'row 1 of the answer has summaryTypeCode "ATS_W_SMBL", not the "ATS_W_SMBL_FIRM" asked for: the source answered another week, tier or grain',
    );
    expect(retries).toEqual([]);
  });

  it('fails an answer for another week at once', async () => {
    standIn.faults.push({ kind: 'wrong-week' });
    const { source: api } = source({ pageSize: 5000 });
    await expect(readText((await api.open(WEEK)).body)).rejects.toThrow('row 1 of the answer has weekStartDate "2025-11-17", not the "2025-11-24" asked for');
  });

  it('fails the read, retryably, when the rows do not add up to Record-Total', async () => {
    standIn.faults.set({ kind: 'miscount', delta: 1 }, { tier: 'OTC', weekEnding: '2025-11-28' });
    const { source: api } = source();
    const error = await readText((await api.open(WEEK)).body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraResponseError);
    expect((error as FinraResponseError).retryable).toBe(true);
    expect((error as Error).message).toContain('page at offset 5 is empty but Record-Total is 6: 1 rows missing');
  });

  it('fails when Record-Total changes between pages', async () => {
    const { source: api } = source();
    const { body } = await api.open(WEEK);
    standIn.faults.push({ kind: 'miscount', delta: -1 }, { tier: 'OTC' });
    await expect(readText(body)).rejects.toThrow('Record-Total changed from 5 to 4 at offset 2');
  });

  it('asks weeklySummaryHistoric for a week older than 12 months, filtering only on week and tier', async () => {
    const old = { key1: 'OTC', periodEnd: '2024-06-07', key2: 'ATS' } as const;
    const oldFixtures = await tempFiles({ 'OTC/2024-06-07.psv': FIVE_ROWS.text });
    try {
      await withStandIn({ fixturesDir: oldFixtures.dir }, async (historic) => {
        const { source: api } = source({ baseUrl: historic.url, pageSize: 4 });
        const { body, sourceUri } = await api.open(old);
        // The historic answer holds every ATS grain (5 symbol x venue rows, 5 per issue, 3 per venue); only ours is kept.
        expect(await readText(body)).toBe(FIVE_ROWS.text);
        expect(historic.requests().map((r) => [r.dataset, r.status, r.total])).toEqual([
          ['weeklySummaryHistoric', 200, 13], ['weeklySummaryHistoric', 200, 13], ['weeklySummaryHistoric', 200, 13], ['weeklySummaryHistoric', 200, 13],
        ]);
        const uri = new URL(sourceUri);
        expect(uri.pathname).toBe('/data/group/otcMarket/name/weeklySummaryHistoric');
        expect(JSON.parse(uri.searchParams.get('request')!).compareFilters.map((f: { fieldName: string }) => f.fieldName)).toEqual(['weekStartDate', 'tierIdentifier']);
        expect(uri.searchParams.get('keep')).toBe('summaryTypeCode=ATS_W_SMBL_FIRM');
      });
    } finally {
      await oldFixtures.remove();
    }
  });

  it('finds a week past 12 months in weeklySummary when FINRA keeps it there, and lists it as published', async () => {
    const old = { key1: 'OTC', periodEnd: '2024-06-07', key2: 'ATS' } as const;
    const oldFixtures = await tempFiles({ 'OTC/2024-06-07.psv': FIVE_ROWS.text });
    try {
      // weeklySummary holding five years, as a public client observed it holding weeks back to 2021 in 2026.
      await withStandIn({ fixturesDir: oldFixtures.dir, currentMonths: 60 }, async (keeping) => {
        const { source: api } = source({ baseUrl: keeping.url, pageSize: 4 });
        const { body, sourceUri } = await api.open(old);
        expect(await readText(body)).toBe(FIVE_ROWS.text);
        expect(keeping.requests().map((r) => r.dataset)).toEqual(['weeklySummaryHistoric', 'weeklySummary', 'weeklySummary']);
        expect(new URL(sourceUri).pathname).toBe('/data/group/otcMarket/name/weeklySummary');
        expect((await api.published('2024-06-07')).has('OTC', '2024-06-07')).toBe(true);
      });
    } finally {
      await oldFixtures.remove();
    }
  });

  it.each([
    ['404', { kind: '404' }],
    ['500 on every attempt', { kind: '500' }],
  ] as const)('takes partitions that answer %s as unknown, not as unpublished', async (_label, fault) => {
    standIn.faults.set(fault, { endpoint: 'partitions' });
    const { source: api } = source({ maxAttempts: 2 });
    const error = await api.published('2025-11-28').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartitionsUnknownError);
    expect((error as PartitionsUnknownError).url).toMatch(/\/partitions\/group\/otcMarket\/name\/weeklySummary$/);
    expect((error as Error).message).toMatch(/could not be read .*which weeks are published is unknown/);
    // The data endpoints still answer: the week is read as always.
    expect(await readText((await api.open(WEEK)).body)).toBe(FIVE_ROWS.text);
  });

  it('lists published weeks from the partitions endpoint', async () => {
    const { source: api } = source();
    const published = await api.published('2025-11-28');
    expect(published.has('OTC', '2025-11-28')).toBe(true);
    expect(published.has('OTC', '2025-12-05')).toBe(true);
    expect(published.has('NMS_TIER_1', '2025-12-12')).toBe(true);
    expect(published.has('NMS_TIER_2', '2025-11-28')).toBe(false);
    expect(standIn.requests().map((r) => [r.method, r.path])).toEqual([['GET', '/partitions/group/otcMarket/name/weeklySummary']]);
  });

  it('also asks the historic partitions when the oldest week is past 12 months', async () => {
    const { source: api } = source();
    await api.published('2024-06-07');
    expect(standIn.requests().map((r) => r.path)).toEqual([
      '/partitions/group/otcMarket/name/weeklySummary', '/partitions/group/otcMarket/name/weeklySummaryHistoric',
    ]);
  });

  it('stays within the configured request rate', async () => {
    await withStandIn({ maxPayloadBytes: 300 }, async (short) => {
      const { source: api } = source({ baseUrl: short.url, pageSize: 5000, requestsPerSecond: 3 });
      await readText((await api.open(WEEK)).body);
      const times = short.requests().map((r) => Date.parse(r.at));
      expect(times.length).toBeGreaterThanOrEqual(5);
      // No window of one second (less the clock's granularity) holds more than 3 requests.
      for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(990);
    });
  });

  it('fails the read of a week past the file size cap and asks for no more pages', async () => {
    await withStandIn({}, async (own) => {
      const api = otcFinraSource({ baseUrl: own.url, pageSize: 1, now }, { maxFileBytes: 200 });
      const { body } = await api.open(WEEK);
      await expect(readText(body)).rejects.toThrow(FileTooLargeError);
      // The first page passes the cap; the read-ahead may have asked for the second, never for the other three.
      expect(own.requests().length).toBeLessThan(3);
    });
  });

  it('refuses an answer over the page byte cap', async () => {
    const bigFixtures = await tempFiles({ 'OTC/2025-11-28.psv': finraFile(40).text });
    try {
      await withStandIn({ fixturesDir: bigFixtures.dir }, async (big) => {
        const { source: api, retries } = source({ baseUrl: big.url, pageSize: 5000, maxPageBytes: 1024 });
        const error = await api.open(WEEK).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(FinraResponseError);
        expect((error as Error).message).toMatch(/answer of \d+ bytes exceeds the 1024-byte cap/);
        expect(retries).toEqual([]);
      });
    } finally {
      await bigFixtures.remove();
    }
  });
});

describe('OTC weeks from the FINRA Query API: non-ATS volume (OTC_W_SMBL_FIRM)', () => {
  const NON_ATS_WEEK = { key1: 'OTC', periodEnd: '2025-11-28', key2: 'NON_ATS' } as const;
  const firmFile = [
    'tierDescription|issueSymbolIdentifier|issueName|marketParticipantName|MPID|totalWeeklyShareQuantity|totalWeeklyTradeCount|lastUpdateDate|firmCRDNumber',
    // In the requested order (symbol, then MPID, a missing one first), so the file reads back unchanged.
    'OTC|S000|Issue 0, Inc.|SMALL FIRM LLC||700|2|2025-12-15|287654',
    'OTC|S000|Issue 0, Inc.|CITADEL SECURITIES LLC|CDRG|5000|5|2025-12-15|116797',
    'OTC|S001|Issue 1, Inc.|De Minimis Firms||300|1|2025-12-15|',
  ].join('\n');

  it('asks for OTC_W_SMBL_FIRM and writes the firm CRD number, firms without an MPID included', async () => {
    const own = await tempFiles({ 'OTC/NON_ATS/2025-11-28.psv': `${firmFile}\n`, 'OTC/2025-11-28.psv': FIVE_ROWS.text });
    const server = await startFinraStandIn({ fixturesDir: own.dir, logger: silentLogger, today: () => TODAY });
    try {
      const { source: api } = source({ baseUrl: server.url, pageSize: 5000 });
      const { body, sourceUri } = await api.open(NON_ATS_WEEK);
      expect(await readText(body)).toBe(`${firmFile}\n`);
      const request = JSON.parse(new URL(sourceUri).searchParams.get('request')!) as { compareFilters: { fieldName: string; fieldValue: string }[]; fields: string[] };
      expect(request.compareFilters.find((f) => f.fieldName === 'summaryTypeCode')?.fieldValue).toBe('OTC_W_SMBL_FIRM');
      expect(request.fields).toContain('firmCRDNumber');
      // The same week's ATS summary is untouched by the non-ATS one: five rows, the download format.
      expect(await readText((await api.open({ ...NON_ATS_WEEK, key2: 'ATS' })).body)).toBe(FIVE_ROWS.text);
    } finally {
      await server.close();
      await own.remove();
    }
  });
});
