import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FinraApiSource } from '../src/finra-api/finra-api-source.ts';
import { FinraHttpError, FinraResponseError, FinraRetriesExhaustedError, FinraTimeoutError } from '../src/finra-api/errors.ts';
import type { RetryEvent } from '../src/finra-api/http-retry.ts';
import type { FinraApiOptions } from '../src/finra-api/options.ts';
import { FINRA_FILE_HEADER } from '../src/finra-api/row-format.ts';
import { SourceNotFoundError } from '../src/source.ts';
import { startFinraStandIn, type FinraStandIn } from '../src/stand-in/server.ts';
import { finraFile, readText, silentLogger, tempFiles } from './support.ts';

const WEEK = { tier: 'OTC', weekEnding: '2025-11-28' } as const;
const FIVE_ROWS = finraFile(5);

let fixtures: Awaited<ReturnType<typeof tempFiles>>;
let standIn: FinraStandIn;

beforeAll(async () => {
  fixtures = await tempFiles({
    'OTC/2025-11-28.psv': FIVE_ROWS.text,
    'OTC/2025-12-05.psv': finraFile(4).text,
    'NMS_TIER_1/2025-12-12.psv': 'WeekEnding|Tier|Symbol|MPID|TotalShares|TotalTrades\n2025-12-12|T1|AAPL|UBSA|3000000000|10\n',
  });
  standIn = await startFinraStandIn({ fixturesDir: fixtures.dir, logger: silentLogger });
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
function source(overrides: Partial<FinraApiOptions> = {}): { source: FinraApiSource; retries: RetryEvent[] } {
  const retries: RetryEvent[] = [];
  const source = new FinraApiSource({
    baseUrl: standIn.url,
    pageSize: 2,
    maxAttempts: 4,
    baseDelayMs: 1,
    maxDelayMs: 50,
    timeoutMs: 2000,
    onRetry: (event) => retries.push(event),
    ...overrides,
  });
  return { source, retries };
}

describe('FinraApiSource', () => {
  it('pages with a small page size and yields every line exactly once, in order', async () => {
    const { source: api } = source();
    const { body, sourceUri } = await api.openWeek(WEEK);
    expect(await readText(body)).toBe(FIVE_ROWS.text);
    expect(sourceUri).toBe(`${standIn.url}/data/group/otcMarket/name/weeklySummary?weekStartDate=2025-11-24&tierIdentifier=OTCE&summaryTypeCode=ATS_W_SMBL`);
    expect(standIn.requests().map((r) => [r.offset, r.limit, r.rows])).toEqual([
      [0, 2, 2],
      [2, 2, 2],
      [4, 2, 1],
    ]);
  });

  it('asks for one more, empty, page when the row count is a multiple of the page size', async () => {
    const { source: api } = source();
    const { body } = await api.openWeek({ tier: 'OTC', weekEnding: '2025-12-05' });
    expect(await readText(body)).toBe(finraFile(4).text);
    expect(standIn.requests().map((r) => r.rows)).toEqual([2, 2, 0]);
  });

  it('fetches later pages only as the body is read', async () => {
    const { source: api } = source();
    const { body } = await api.openWeek(WEEK);
    expect(standIn.requests()).toHaveLength(1);
    await readText(body);
    expect(standIn.requests()).toHaveLength(3);
  });

  it('serves legacy-format fixtures converted to the FINRA format', async () => {
    const { source: api } = source();
    const { body } = await api.openWeek({ tier: 'NMS_TIER_1', weekEnding: '2025-12-12' });
    expect(await readText(body)).toBe(`${FINRA_FILE_HEADER}\nNMS Tier 1|AAPL|||UBSA|3000000000|10|2025-12-29\n`);
  });

  it('rejects an absent week with SourceNotFoundError naming the query', async () => {
    const { source: api } = source();
    const error = await api.openWeek({ tier: 'NMS_TIER_2', weekEnding: '2025-11-28' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceNotFoundError);
    expect(error).toMatchObject({ tier: 'NMS_TIER_2', weekEnding: '2025-11-28' });
    expect((error as Error).message).toContain('tierIdentifier=T2');
  });

  it('rejects a week ending that is not a Friday before any request', async () => {
    const { source: api } = source();
    await expect(api.openWeek({ tier: 'OTC', weekEnding: '2025-11-27' })).rejects.toThrow('2025-11-27 is a Thursday; week_ending must be a Friday');
    expect(standIn.requests()).toHaveLength(0);
  });

  it('retries 429 after Retry-After (capped) and 500 with backoff, then succeeds', async () => {
    standIn.faults.push({ kind: '429', retryAfterSeconds: 1 });
    standIn.faults.push({ kind: '500' });
    const { source: api, retries } = source({ pageSize: 5000 });
    const { body } = await api.openWeek(WEEK);
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
    const { body } = await api.openWeek(WEEK);
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
    const { body } = await api.openWeek(WEEK);
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
    expect(await readText((await api.openWeek(WEEK)).body)).toBe(FIVE_ROWS.text);
    expect(retries).toEqual([]);
  });

  it('retries a truncated body', async () => {
    standIn.faults.push({ kind: 'truncated' });
    const { source: api, retries } = source({ pageSize: 5000 });
    expect(await readText((await api.openWeek(WEEK)).body)).toBe(FIVE_ROWS.text);
    expect(retries.map((r) => r.error)).toEqual([expect.any(FinraResponseError)]);
    expect(retries[0]?.error.message).toContain('not valid JSON');
  });

  it('only applies faults to matching requests', async () => {
    standIn.faults.push({ kind: '500' }, { tier: 'T1' });
    const { source: api, retries } = source({ pageSize: 5000 });
    await readText((await api.openWeek(WEEK)).body);
    expect(retries).toEqual([]);
    await readText((await api.openWeek({ tier: 'NMS_TIER_1', weekEnding: '2025-12-12' })).body);
    expect(retries).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    standIn.faults.set({ kind: '500' });
    const { source: api } = source({ maxAttempts: 3 });
    const error = await api.openWeek(WEEK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraRetriesExhaustedError);
    expect(error).toMatchObject({ attempts: 3, lastError: { status: 500 } });
    expect((error as Error).message).toMatch(/after 3 attempts: HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/data\/group\/otcMarket/);
    expect(standIn.requests()).toHaveLength(3);
  });

  it('stops retrying when the caller aborts', async () => {
    standIn.faults.set({ kind: '500' });
    const { source: api } = source({ maxAttempts: 10, baseDelayMs: 10_000, maxDelayMs: 10_000 });
    const controller = new AbortController();
    const opening = api.openWeek(WEEK, controller.signal);
    setTimeout(() => controller.abort(new Error('job cancelled')), 50);
    await expect(opening).rejects.toThrow('job cancelled');
    expect(standIn.requests()).toHaveLength(1);
  });
});

describe('FinraApiSource against a stand-in that requires OAuth2', () => {
  const credentials = { clientId: 'spine', clientSecret: 's3cret' };
  let secured: FinraStandIn;

  beforeAll(async () => {
    secured = await startFinraStandIn({ fixturesDir: fixtures.dir, credentials, logger: silentLogger });
  });
  afterAll(() => secured.close());
  afterEach(() => secured.clearRequests());

  const tokenRequests = () => secured.requests().filter((r) => r.path === '/oauth2/token').length;

  it('fetches a token once and reuses it, then refreshes it once on 401', async () => {
    const { source: api, retries } = source({ baseUrl: secured.url, tokenUrl: secured.tokenUrl, ...credentials });
    await readText((await api.openWeek(WEEK)).body);
    await readText((await api.openWeek(WEEK)).body);
    expect(tokenRequests()).toBe(1);
    expect(secured.requests().filter((r) => r.path !== '/oauth2/token').every((r) => r.authorized)).toBe(true);

    secured.revokeTokens();
    expect(await readText((await api.openWeek(WEEK)).body)).toBe(FIVE_ROWS.text);
    expect(tokenRequests()).toBe(2);
    expect(secured.requests().map((r) => r.status)).toContain(401);
    expect(retries).toEqual([]);
  });

  it('fails fast with status, URL and body on a 4xx other than 429', async () => {
    const { source: anonymous, retries } = source({ baseUrl: secured.url });
    const error = await anonymous.openWeek(WEEK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinraHttpError);
    expect((error as Error).message).toBe(`HTTP 401 from ${secured.url}/data/group/otcMarket/name/weeklySummary: {"error":"missing, expired or revoked bearer token"}`);
    expect(retries).toEqual([]);
    expect(secured.requests()).toHaveLength(1);
  });

  it('fails fast when the token endpoint refuses the credentials', async () => {
    const { source: api } = source({ baseUrl: secured.url, tokenUrl: secured.tokenUrl, clientId: 'spine', clientSecret: 'wrong' });
    await expect(api.openWeek(WEEK)).rejects.toThrow(`HTTP 401 from ${secured.tokenUrl}: {"error":"invalid_client"`);
    expect(tokenRequests()).toBe(1);
  });
});
