import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFinraStandIn, type FinraStandIn } from '../src/server.ts';
import { finraFile, silentLogger, tempFiles } from '../../../libs/finra-source/test/support.ts';

const QUERY_PATH = '/data/group/otcMarket/name/weeklySummary';
const HISTORIC_PATH = '/data/group/otcMarket/name/weeklySummaryHistoric';
const PARTITIONS_PATH = '/partitions/group/otcMarket/name/weeklySummary';
/** The stand-in's today: the 2025 fixtures are in weeklySummary, the 2024-06 one in weeklySummaryHistoric. */
const TODAY = '2026-01-05';

function query(weekStartDate: string, tierIdentifier: string, extra: object = {}, summaryTypeCode: string | null = 'ATS_W_SMBL_FIRM') {
  return {
    compareFilters: [
      { compareType: 'EQUAL', fieldName: 'weekStartDate', fieldValue: weekStartDate },
      { compareType: 'EQUAL', fieldName: 'tierIdentifier', fieldValue: tierIdentifier },
      ...(summaryTypeCode ? [{ compareType: 'EQUAL', fieldName: 'summaryTypeCode', fieldValue: summaryTypeCode }] : []),
    ],
    ...extra,
  };
}

let fixtures: Awaited<ReturnType<typeof tempFiles>>;
let standIn: FinraStandIn;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${standIn.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
}

beforeAll(async () => {
  fixtures = await tempFiles({
    'OTC/2025-11-28.psv': finraFile(3).text,
    'OTC/2025-12-05.psv': `${finraFile(0).text}OTC|SHORT|only three\n`,
    'OTC/2025-12-12.psv': 'Symbol|Volume\nA|1\n',
    'OTC/notes.txt': 'ignored',
    'NMS_TIER_2/2025-11-21.psv': finraFile(1, 'NMS Tier 2').text,
    'OTC/2024-06-07.psv': finraFile(2).text,
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

describe('FINRA stand-in: weeklySummary (POST Data, Platform Usage Limits)', () => {
  it('answers the symbol x ATS rows with Record-* headers, honouring limit and offset', async () => {
    const { status, json, headers } = await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE', { limit: 2, offset: 1 }));
    expect(status).toBe(200);
    expect(json).toEqual([
      expect.objectContaining({ issueSymbolIdentifier: 'S001', totalWeeklyShareQuantity: 2000, weekStartDate: '2025-11-24', tierIdentifier: 'OTCE', summaryTypeCode: 'ATS_W_SMBL_FIRM', firmCRDNumber: expect.any(Number) }),
      expect.objectContaining({ issueSymbolIdentifier: 'S002', issueName: 'Issue 2, Inc.', MPID: 'MP2', lastUpdateDate: '2025-12-15' }),
    ]);
    expect(Object.fromEntries(['record-total', 'record-offset', 'record-limit', 'record-max-limit'].map((h) => [h, headers.get(h)]))).toEqual({
      'record-total': '3', 'record-offset': '1', 'record-limit': '2', 'record-max-limit': '5000',
    });
  });

  it('serves the per-issue grain with no MPID, and every grain when summaryTypeCode is not filtered', async () => {
    const perIssue = await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE', {}, 'ATS_W_SMBL'));
    expect(perIssue.json).toHaveLength(3);
    expect(perIssue.json).toEqual(expect.arrayContaining([expect.objectContaining({ issueSymbolIdentifier: 'S000', MPID: null, summaryTypeCode: 'ATS_W_SMBL' })]));
    const perFirm = await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE', {}, 'ATS_W_FIRM'));
    expect((perFirm.json as { MPID: string; issueSymbolIdentifier: null }[]).map((r) => [r.MPID, r.issueSymbolIdentifier])).toEqual([['MP0', null], ['MP1', null], ['MP2', null]]);
    const all = await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE', {}, null));
    expect(all.headers.get('record-total')).toBe('9');
  });

  it('defaults the limit to 1000, serves at most 5000, and sorts and projects as asked', async () => {
    const many = await tempFiles({ 'OTC/2025-11-28.psv': finraFile(1200).text });
    const big = await startFinraStandIn({ fixturesDir: many.dir, logger: silentLogger, today: () => TODAY });
    try {
      const post = async (body: object) => {
        const response = await fetch(`${big.url}${QUERY_PATH}`, { method: 'POST', body: JSON.stringify(body) });
        return { rows: (await response.json()) as Record<string, unknown>[], limit: response.headers.get('record-limit') };
      };
      expect((await post(query('2025-11-24', 'OTCE'))).rows).toHaveLength(1000);
      expect(await post(query('2025-11-24', 'OTCE', { limit: 9000 }))).toMatchObject({ limit: '5000' });
      const sorted = await post(query('2025-11-24', 'OTCE', { limit: 2, sortFields: ['-totalWeeklyShareQuantity'], fields: ['issueSymbolIdentifier', 'totalWeeklyShareQuantity'] }));
      expect(sorted.rows).toEqual([{ issueSymbolIdentifier: 'S1199', totalWeeklyShareQuantity: 1_200_000 }, { issueSymbolIdentifier: 'S1198', totalWeeklyShareQuantity: 1_199_000 }]);
    } finally {
      await big.close();
      await many.remove();
    }
  });

  it('cuts a page at the payload limit, however large the limit', async () => {
    const small = await startFinraStandIn({ fixturesDir: fixtures.dir, logger: silentLogger, today: () => TODAY, maxPayloadBytes: 900 });
    try {
      const response = await fetch(`${small.url}${QUERY_PATH}`, { method: 'POST', body: JSON.stringify(query('2025-11-24', 'OTCE', { limit: 5000 })) });
      const text = await response.text();
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(900);
      expect((JSON.parse(text) as unknown[]).length).toBeLessThan(3);
      expect(response.headers.get('record-total')).toBe('3');
    } finally {
      await small.close();
    }
  });

  it('serves a line with too few fields positionally, missing fields null', async () => {
    const { json } = await call('POST', QUERY_PATH, query('2025-12-01', 'OTCE'));
    expect(json).toEqual([expect.objectContaining({ tierDescription: 'OTC', issueSymbolIdentifier: 'SHORT', issueName: 'only three', MPID: null, totalWeeklyShareQuantity: null })]);
  });

  it('answers [] for a week it does not hold, or 204 when configured so', async () => {
    expect(await call('POST', QUERY_PATH, query('2025-11-24', 'T1'))).toMatchObject({ status: 200, json: [] });
    const noContent = await startFinraStandIn({ fixturesDir: fixtures.dir, logger: silentLogger, today: () => TODAY, emptyAnswer: '204' });
    try {
      const response = await fetch(`${noContent.url}${QUERY_PATH}`, { method: 'POST', body: JSON.stringify(query('2025-11-24', 'T1')) });
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
    } finally {
      await noContent.close();
    }
  });

  it.each([
    ['not JSON', '{', 'The request payload must be a validly formatted JSON object'],
    ['an unknown field', query('2025-11-24', 'OTCE', { fields: ['bogus'] }), 'unknown field "bogus"'],
    ['a limit of 0', query('2025-11-24', 'OTCE', { limit: 0 }), 'invalid request payload'],
    ['an offset past 500,000', query('2025-11-24', 'OTCE', { offset: 500_001 }), 'invalid request payload'],
    ['no week filter', { compareFilters: [] }, 'needs a weekStartDate filter'],
  ])('answers 400 with FINRA\'s error body to %s', async (_name, body, message) => {
    const { status, json } = await call('POST', QUERY_PATH, body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ statusCode: 400, statusDescription: 'Bad Request', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((json as { message: string }).message).toContain(message);
  });
});

describe('FINRA stand-in: weeklySummaryHistoric (OTC Transparency API Changes notice)', () => {
  it('holds the weeks older than 12 months, and weeklySummary no longer does', async () => {
    const historic = await call('POST', HISTORIC_PATH, query('2024-06-03', 'OTCE', {}, null));
    expect(historic.status).toBe(200);
    expect(historic.headers.get('record-total')).toBe('6');
    expect(await call('POST', QUERY_PATH, query('2024-06-03', 'OTCE'))).toMatchObject({ status: 200, json: [] });
    expect(await call('POST', HISTORIC_PATH, query('2025-11-24', 'OTCE', {}, null))).toMatchObject({ status: 200, json: [] });
  });

  it('refuses a filter on anything but weekStartDate and tierIdentifier', async () => {
    const { status, json } = await call('POST', HISTORIC_PATH, query('2024-06-03', 'OTCE'));
    expect(status).toBe(400);
    expect((json as { message: string }).message).toBe('weeklySummaryHistoric can only be filtered on weekStartDate, historicalWeek or historicalMonth, plus tierIdentifier; not on summaryTypeCode');
  });
});

describe('FINRA stand-in: partitions (GET Partitions)', () => {
  it('lists [weekStartDate, tierIdentifier] per fixture week of the dataset, newest first', async () => {
    const { status, json } = await call('GET', PARTITIONS_PATH);
    expect(status).toBe(200);
    expect(json).toEqual({
      datasetGroup: 'otcMarket', datasetName: 'weeklySummary', partitionFields: ['weekStartDate', 'tierIdentifier'],
      availablePartitions: [
        { partitions: ['2025-12-08', 'OTCE'] }, { partitions: ['2025-12-01', 'OTCE'] }, { partitions: ['2025-11-24', 'OTCE'] }, { partitions: ['2025-11-17', 'T2'] },
      ],
    });
    expect((await call('GET', '/partitions/group/otcMarket/name/weeklySummaryHistoric')).json).toMatchObject({ availablePartitions: [{ partitions: ['2024-06-03', 'OTCE'] }] });
  });

  it('answers a status body when a dataset has no partitions', async () => {
    const empty = await tempFiles({});
    const bare = await startFinraStandIn({ fixturesDir: empty.dir, logger: silentLogger, today: () => TODAY });
    try {
      const json = await (await fetch(`${bare.url}${PARTITIONS_PATH}`)).json();
      expect(json).toMatchObject({ statusCode: 200, message: 'No partitions found for specified dataset.' });
    } finally {
      await bare.close();
      await empty.remove();
    }
  });
});

describe('FINRA stand-in: fault switches over HTTP', () => {
  it('queues faults, answers them once per matching request, and logs requests', async () => {
    const armed = await call('POST', '/__standin/faults', [
      { kind: '429', retryAfterSeconds: 3, match: { tier: 'otc', weekEnding: '2025-11-28' } },
      { kind: 'truncated' },
    ]);
    expect(armed.status).toBe(200);
    expect(armed.json).toMatchObject({ queued: [{ fault: { kind: '429' }, tier: 'OTC', weekEnding: '2025-11-28' }, { fault: { kind: 'truncated' } }] });

    const limited = await fetch(`${standIn.url}${QUERY_PATH}`, { method: 'POST', body: JSON.stringify(query('2025-11-24', 'OTCE')) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    await limited.body?.cancel();

    const truncated = await fetch(`${standIn.url}${QUERY_PATH}`, { method: 'POST', body: JSON.stringify(query('2025-11-17', 'T2')) });
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow();

    expect((await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE'))).status).toBe(200);

    const { json: log } = await call('GET', '/__standin/requests');
    expect(log).toEqual([
      expect.objectContaining({ seq: expect.any(Number), method: 'POST', path: QUERY_PATH, status: 429, fault: '429', tier: 'OTC', weekEnding: '2025-11-28' }),
      expect.objectContaining({ status: 200, fault: 'truncated', tier: 'NMS_TIER_2', weekEnding: '2025-11-21' }),
      expect.objectContaining({ status: 200, rows: 3, completed: true }),
    ]);
    expect((await call('DELETE', '/__standin/requests')).status).toBe(204);
    expect((await call('GET', '/__standin/requests')).json).toEqual([]);
  });

  it('keeps a persistent mode until cleared', async () => {
    await call('POST', '/__standin/faults', { kind: '500', persistent: true });
    expect((await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE'))).status).toBe(500);
    expect((await call('GET', PARTITIONS_PATH)).status).toBe(500);
    expect((await call('GET', '/__standin/faults')).json).toEqual({ queued: [], persistent: { fault: { kind: '500' } } });
    expect((await call('DELETE', '/__standin/faults')).json).toEqual({ queued: [], persistent: null });
    expect((await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE'))).status).toBe(200);
  });

  it('rejects an invalid fault with a 400 that says why', async () => {
    const unknownKind = await call('POST', '/__standin/faults', { kind: '418' });
    expect(unknownKind.status).toBe(400);
    expect((unknownKind.json as { message: string }).message).toContain('invalid fault');
    const unknownTier = await call('POST', '/__standin/faults', { kind: '500', match: { tier: 'Tier 9' } });
    expect(unknownTier).toMatchObject({ status: 400, json: { message: 'Unknown tier "Tier 9" in fault match' } });
    const notFriday = await call('POST', '/__standin/faults', [{ kind: 'slow', delayMs: 5, match: { weekEnding: '2025-11-27' } }]);
    expect(notFriday).toMatchObject({ status: 400, json: { message: '2025-11-27 is a Thursday; week_ending must be a Friday' } });
  });

  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    expect((await call('GET', '/nope')).status).toBe(404);
    const wrongMethod = await call('GET', QUERY_PATH);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('FINRA stand-in: OAuth2', () => {
  const credentials = { clientId: 'spine', clientSecret: 's3cret' };
  let secured: FinraStandIn;

  beforeAll(async () => {
    secured = await startFinraStandIn({ fixturesDir: fixtures.dir, credentials, tokenTtlSeconds: 120, logger: silentLogger, today: () => TODAY });
  });
  afterAll(() => secured.close());

  async function requestToken(authorization: string, body = 'grant_type=client_credentials') {
    const response = await fetch(secured.tokenUrl, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const queryWith = (authorization?: string) =>
    fetch(`${secured.url}${QUERY_PATH}`, {
      method: 'POST',
      headers: authorization ? { Authorization: authorization } : {},
      body: JSON.stringify(query('2025-11-24', 'OTCE')),
    });

  it('issues bearer tokens to the configured client only', async () => {
    expect(await requestToken(basic('spine', 'wrong'))).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    expect(await requestToken(basic('spine', 's3cret'), 'grant_type=password')).toMatchObject({ status: 400, json: { error: 'unsupported_grant_type' } });
    const { status, json } = await requestToken(basic('spine', 's3cret'));
    expect(status).toBe(200);
    expect(json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 120 });
  });

  it('requires a valid token on data endpoints until tokens are revoked', async () => {
    const { json } = await requestToken(basic('spine', 's3cret'));
    const bearer = `Bearer ${String(json.access_token)}`;
    expect((await queryWith()).status).toBe(401);
    expect((await queryWith('Bearer forged')).status).toBe(401);
    expect((await queryWith(bearer)).status).toBe(200);
    expect((await fetch(`${secured.url}/__standin/tokens`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await queryWith(bearer);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });
});

describe('the stand-in main (dev/finra-stand-in/src/main.ts)', () => {
  it('prints the URL and serves the fixtures until SIGTERM', async () => {
    const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--fixtures', fixtures.dir, '--port', '0', '--today', TODAY], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    try {
      const [url] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const rows = (await (await fetch(`${url}${QUERY_PATH}`, { method: 'POST', body: JSON.stringify(query('2025-11-17', 'T2')) })).json()) as unknown[];
      expect(rows).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
