import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFinraStandIn, type FinraStandIn } from '../src/stand-in/server.ts';
import { finraFile, silentLogger, tempFiles } from './support.ts';

const QUERY_PATH = '/data/group/otcMarket/name/weeklySummary';

function query(weekStartDate: string, tierIdentifier: string, extra: object = {}) {
  return {
    compareFilters: [
      { compareType: 'EQUAL', fieldName: 'weekStartDate', fieldValue: weekStartDate },
      { compareType: 'EQUAL', fieldName: 'tierIdentifier', fieldValue: tierIdentifier },
      { compareType: 'EQUAL', fieldName: 'summaryTypeCode', fieldValue: 'OTC_W_SMBL' },
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

describe('FINRA stand-in: weeklySummary', () => {
  it('answers JSON rows with the API-only fields, honouring limit and offset', async () => {
    const { status, json } = await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE', { limit: 2, offset: 1 }));
    expect(status).toBe(200);
    expect(json).toEqual([
      expect.objectContaining({ issueSymbolIdentifier: 'S001', totalWeeklyShareQuantity: 2000, weekStartDate: '2025-11-24', tierIdentifier: 'OTCE', summaryTypeCode: 'OTC_W_SMBL' }),
      expect.objectContaining({ issueSymbolIdentifier: 'S002', issueName: 'Issue 2, Inc.', MPID: 'MP2', lastUpdateDate: '2025-12-15' }),
    ]);
  });

  it('answers an empty array for a week without a fixture', async () => {
    expect(await call('POST', QUERY_PATH, query('2025-11-24', 'T1'))).toMatchObject({ status: 200, json: [] });
  });

  it('serves a line with too few fields positionally, missing fields null', async () => {
    const { json } = await call('POST', QUERY_PATH, query('2025-12-01', 'OTCE'));
    expect(json).toEqual([expect.objectContaining({ tierDescription: 'OTC', issueSymbolIdentifier: 'SHORT', issueName: 'only three', MPID: null })]);
  });

  it('reports a fixture with an unknown header as a 500 naming the file', async () => {
    const { status, json } = await call('POST', QUERY_PATH, query('2025-12-08', 'OTCE'));
    expect(status).toBe(500);
    expect(JSON.stringify(json)).toContain('2025-12-12.psv has neither the FINRA header');
  });

  it.each([
    [{ compareFilters: [] }, 'needs EQUAL compareFilters on tierIdentifier and weekStartDate'],
    [query('2025-11-25', 'OTCE'), 'weekStartDate "2025-11-25" is not a Monday'],
    [query('2025-11-24', 'T9'), 'unknown tierIdentifier "T9"'],
    [query('2025-11-24', 'OTCE', { limit: 5001 }), 'invalid query'],
    ['{"compareFilters": [', 'not valid JSON'],
  ])('answers 400 to a bad query %#', async (body, message) => {
    const { status, json } = await call('POST', QUERY_PATH, body);
    expect(status).toBe(400);
    expect((json as { error: string }).error).toContain(message);
  });
});

describe('FINRA stand-in: partitions', () => {
  it('lists the weekStartDate of every fixture week per tier identifier', async () => {
    const { status, json } = await call('GET', `${QUERY_PATH}/partitions`);
    expect(status).toBe(200);
    expect(json).toEqual({
      datasetGroup: 'otcMarket',
      datasetName: 'weeklySummary',
      partitionFields: ['tierIdentifier', 'weekStartDate'],
      weekStartDates: { T1: [], T2: ['2025-11-17'], OTCE: ['2025-11-24', '2025-12-01', '2025-12-08'] },
    });
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
    expect((await call('GET', `${QUERY_PATH}/partitions`)).status).toBe(500);
    expect((await call('GET', '/__standin/faults')).json).toEqual({ queued: [], persistent: { fault: { kind: '500' } } });
    expect((await call('DELETE', '/__standin/faults')).json).toEqual({ queued: [], persistent: null });
    expect((await call('POST', QUERY_PATH, query('2025-11-24', 'OTCE'))).status).toBe(200);
  });

  it('rejects an invalid fault with a 400 that says why', async () => {
    const unknownKind = await call('POST', '/__standin/faults', { kind: '418' });
    expect(unknownKind.status).toBe(400);
    expect((unknownKind.json as { error: string }).error).toContain('invalid fault');
    const unknownTier = await call('POST', '/__standin/faults', { kind: '500', match: { tier: 'Tier 9' } });
    expect(unknownTier).toMatchObject({ status: 400, json: { error: 'Unknown tier "Tier 9" in fault match' } });
    const notFriday = await call('POST', '/__standin/faults', [{ kind: 'slow', delayMs: 5, match: { weekEnding: '2025-11-27' } }]);
    expect(notFriday).toMatchObject({ status: 400, json: { error: '2025-11-27 is a Thursday; week_ending must be a Friday' } });
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
    secured = await startFinraStandIn({ fixturesDir: fixtures.dir, credentials, tokenTtlSeconds: 120, logger: silentLogger });
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

describe('stand-in-main', () => {
  it('prints the URL and serves the fixtures until SIGTERM', async () => {
    const entry = fileURLToPath(new URL('../src/stand-in-main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--fixtures', fixtures.dir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    try {
      const [url] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const partitions = (await (await fetch(`${url}${QUERY_PATH}/partitions`)).json()) as { weekStartDates: Record<string, string[]> };
      expect(partitions.weekStartDates.T2).toEqual(['2025-11-17']);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
