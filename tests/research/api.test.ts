import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { datasets } from '@spine/datasets';
import { createApiToken, openApiDocument, researchEndpoints, revokeApiToken } from '@spine/research';
import { OTC_ENDPOINTS } from '@spine/otc/research/endpoints';
import { recordAnomaly } from '@spine/platform';
import { testPool, resetData } from '../support/database.ts';
import { ADMIN, basicGet, formSignIn, startTestDashboard, VIEWER } from '../support/dashboard.ts';
import { loadResearchData, loadRevision, REVISED_WEEK } from './support.ts';

const pool = testPool();
let dashboard: DashboardHandle;
let token: string;
let revisedCapture: string;

beforeAll(async () => {
  await resetData(pool);
  await loadResearchData(pool);
  revisedCapture = (await loadRevision(pool)).captureId;
  await recordAnomaly(pool, { domain: 'otc', category: 'FRESHNESS', severity: 'WARN', periodEnd: '2025-12-12', key1: 'OTC', key2: 'ATS', message: 'OTC ATS 2025-12-12 is late' });
  dashboard = await startTestDashboard();
  token = (await createApiToken(pool, 'api-test')).token;
});
afterAll(async () => {
  await dashboard?.close();
  await pool.end();
});

const bearer = (path: string, headers: Record<string, string> = {}, who = token) =>
  fetch(`${dashboard.url}/api/v1${path}`, { headers: { authorization: `Bearer ${who}`, ...headers } });

describe('/api/v1', () => {
  it('refuses a request with neither a session, basic credentials nor a token, and an unknown token', async () => {
    const anonymous = await fetch(`${dashboard.url}/api/v1/symbols/AAPL/history`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: 'authentication required' });
    const unknown = await bearer('/datasets', {}, `spine_ro_${'A'.repeat(43)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="spine"');
    expect((await bearer('/datasets', {}, 'garbage')).status).toBe(401);
  });

  it('answers the viewer (basic auth or a session) and a token alike', async () => {
    const viaBasic = await (await basicGet(`${dashboard.url}/api/v1/symbols/aapl/history?tier=T1`, VIEWER)).json() as { data: unknown[] };
    const { cookie } = await formSignIn(dashboard.url, ADMIN);
    const viaSession = await (await fetch(`${dashboard.url}/api/v1/symbols/AAPL/history?tier=T1`, { headers: { cookie } })).json();
    const viaToken = await (await bearer('/symbols/AAPL/history?tier=NMS_TIER_1')).json();
    expect(viaBasic.data).toHaveLength(6);
    expect(viaSession).toEqual(viaBasic);
    expect(viaToken).toEqual(viaBasic);
  });

  it('tags an answer with an ETag from its captures and answers 304 to If-None-Match until a capture behind it changes', async () => {
    const path = `/weeks/${REVISED_WEEK}/venues?tier=NMS_TIER_1`;
    const first = await bearer(path);
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, max-age=60');
    const again = await bearer(path, { 'if-none-match': tag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await bearer(path, { 'if-none-match': `"other", W/${tag}` })).status).toBe(304);
    expect((await bearer(path, { 'if-none-match': '"other"' })).status).toBe(200);
    // As of before the revision: other captures behind the answer, another tag; a past point is cached longer.
    const asOf = await bearer(`${path}&as_of_published=2025-12-08`);
    expect(asOf.headers.get('etag')).not.toBe(tag);
    expect(asOf.headers.get('cache-control')).toBe('private, max-age=3600');
  });

  it('walks a paged answer with next_page_token, every row once', async () => {
    const whole = await (await bearer('/weeks/2025-12-05/snapshot?tier=OTC&page_size=1000')).json() as { data: { venue_type: string; symbol: string }[] };
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const query: string = next ? `&page_token=${encodeURIComponent(next)}` : '';
      const page = await (await bearer(`/weeks/2025-12-05/snapshot?tier=OTC&page_size=4${query}`)).json() as { data: { venue_type: string; symbol: string }[]; next_page_token: string | null };
      seen.push(...page.data.map((r) => `${r.venue_type}/${r.symbol}`));
      next = page.next_page_token;
    } while (next);
    expect(seen).toEqual(whole.data.map((r) => `${r.venue_type}/${r.symbol}`));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers 400 naming the parameter, and 404 for an unknown capture', async () => {
    const cases: [string, RegExp][] = [
      ['/symbols/AAPL/history?tier=T9', /tier: unknown tier "T9"/],
      ['/symbols/AAPL/history?venue_type=DARK', /venue_type: unknown venue type "DARK": use all, ATS or NON_ATS/],
      ['/weeks/2025-12-04/venues?tier=OTC', /week_ending: 2025-12-04 is a Thursday/],
      ['/weeks/2025-12-05/venues', /tier/],
      ['/symbols/AAPL/history?as_of_published=2025-12-01&as_of_captured=2025-12-01T00:00:00Z', /not both/],
      ['/symbols/AAPL/history?page_size=0', /page_size/],
      ['/symbols/AAPL/history?page_token=xyz', /page_token/],
    ];
    for (const [path, message] of cases) {
      const res = await bearer(path);
      expect(res.status, path).toBe(400);
      expect((await res.json() as { error: string }).error, path).toMatch(message);
    }
    const missing = await bearer(`/captures/${revisedCapture}/diff/otc-nothing`);
    expect(missing.status).toBe(404);
    expect((await bearer('/nothing')).status).toBe(404);
  });

  it('serves the OpenAPI 3.1 document (validated in libs/research/test/openapi.test.ts), and every answer has the shape it describes', async () => {
    expect(await (await bearer('/openapi.json')).json()).toEqual(openApiDocument(await researchEndpoints(datasets.list())));
    const captures = await (await bearer(`/captures?tier=NMS_TIER_1&from=${REVISED_WEEK}&to=${REVISED_WEEK}`)).json() as { data: { capture_id: string }[] };
    const example: Record<string, string> = {
      '/datasets': '', '/datasets/otc/partitions': '', '/symbols/{symbol}/history': '/symbols/AAPL/history', '/weeks/{week_ending}/snapshot': '/weeks/2025-12-05/snapshot?tier=OTC',
      '/weeks/{week_ending}/venues': '/weeks/2025-12-05/venues?tier=OTC', '/venues/{mpid}/history': '/venues/UBSA/history', '/quality': '', '/anomalies': '', '/captures': '',
      '/captures/{capture_id}/diff/{other_capture_id}': `/captures/${captures.data[0]!.capture_id}/diff/${captures.data[1]!.capture_id}`,
    };
    for (const endpoint of OTC_ENDPOINTS) {
      const res = await bearer(example[endpoint.path] || endpoint.path);
      expect(res.status, endpoint.path).toBe(200);
      const body = await res.json() as { data: unknown[] };
      expect(() => endpoint.answer.parse(body), endpoint.path).not.toThrow();
      expect(body.data.length, endpoint.path).toBeGreaterThan(0);
    }
  });

  it('refuses a revoked token at its next request, and records when a token was last used', async () => {
    const { token: doomed } = await createApiToken(pool, 'doomed');
    expect((await bearer('/datasets', {}, doomed)).status).toBe(200);
    const { rows } = await pool.query(`SELECT last_used_at FROM research_api_tokens WHERE name = 'doomed'`);
    expect(rows[0].last_used_at).not.toBeNull();
    await revokeApiToken(pool, 'doomed');
    const refused = await bearer('/datasets', {}, doomed);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'unknown or revoked token' });
  });

  it('limits each token to RESEARCH_API_TOKEN_REQUESTS_PER_MINUTE, leaving other tokens alone', async () => {
    const limited = await startTestDashboard({ RESEARCH_API_TOKEN_REQUESTS_PER_MINUTE: '3' });
    try {
      const [{ token: busy }, { token: calm }] = [await createApiToken(pool, 'busy'), await createApiToken(pool, 'calm')];
      const ask = (who: string) => fetch(`${limited.url}/api/v1/datasets`, { headers: { authorization: `Bearer ${who}` } });
      for (let i = 0; i < 3; i++) expect((await ask(busy)).status).toBe(200);
      const refused = await ask(busy);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await ask(calm)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
