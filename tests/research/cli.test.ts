import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_PREFIX } from '@spine/research';
import { symbolHistoryQuery } from '@spine/otc/research/request-schemas';
import { symbolHistory } from '@spine/otc/research/symbol-history';
import { testDatabaseUrl, testPool } from '../support/database.ts';
import { runSpine } from '../support/spine-cli.ts';
import { loadRevisedResearchData, REVISED_WEEK } from './support.ts';

const pool = testPool();
const env = () => ({ DATABASE_URL: testDatabaseUrl() });
let firstCapture: string;
let revisedCapture: string;

beforeAll(async () => {
  ({ firstCapture, revisedCapture } = await loadRevisedResearchData(pool));
});
afterAll(() => pool.end());

describe('spine query and spine tokens', () => {
  it('answers `query symbol` as the API does, point in time, as JSON, CSV or a table', async () => {
    const json = await runSpine(['query', 'symbol', 'aapl', '--tier', 'T1', '--as-of-published', '2025-12-28', '--json'], env());
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { data: { capture_id: string; week_ending: string }[]; provenance: unknown };
    const api = await symbolHistory(pool, 'AAPL', symbolHistoryQuery.parse({ tier: 'NMS_TIER_1', as_of_published: '2025-12-28' }));
    expect(answer.data).toEqual(api.data);
    expect(answer.provenance).toEqual(api.provenance);
    expect(answer.data.find((w) => w.week_ending === REVISED_WEEK)!.capture_id).toBe(firstCapture);

    const csv = await runSpine(['query', 'symbol', 'AAPL', '--tier', 'NMS_TIER_1', '--csv'], env());
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^week_ending,tier,venue_type,symbol,issue_name,total_volume,/);
    expect(lines).toHaveLength(7);
    const table = await runSpine(['query', 'symbol', 'AAPL', '--tier', 'NMS_TIER_1'], env());
    expect(table.stdout).toMatch(/6 rows from \d+ captures/);
  });

  it('answers `query week` (snapshot and --venues) and `query diff`', async () => {
    const snapshot = JSON.parse((await runSpine(['query', 'week', '2025-12-05', '--tier', 'OTC', '--json'], env())).stdout) as { data: unknown[] };
    expect(snapshot.data).toHaveLength(6);
    const venues = JSON.parse((await runSpine(['query', 'week', '2025-12-05', '--tier', 'OTC', '--venue-type', 'NON_ATS', '--venues', '--json'], env())).stdout) as { data: { mpid: string }[] };
    expect(venues.data.map((v) => v.mpid)).toEqual(['CDRG', 'CRD:287654', 'NITE', 'DE_MINIMIS']);
    const diff = await runSpine(['query', 'diff', firstCapture, revisedCapture], env());
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/added: 1 {2}removed: 0 {2}changed: 1 {2}unchanged: 5/);
    expect(diff.stdout).toMatch(/NEWCO/);
  });

  it('exits 2 with one line naming the option on bad input', async () => {
    const both = await runSpine(['query', 'symbol', 'AAPL', '--as-of-published', '2025-12-01', '--as-of-captured', '2025-12-01T00:00:00Z'], env());
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('error: --as-of-captured: give as_of_published or as_of_captured, not both\n');
    const thursday = await runSpine(['query', 'week', '2025-12-04', '--tier', 'OTC'], env());
    expect(thursday.code).toBe(2);
    expect(thursday.stderr).toMatch(/week_ending: 2025-12-04 is a Thursday/);
    expect((await runSpine(['query', 'diff', firstCapture, 'otc-nothing'], env())).code).toBe(2);
  });

  it('creates a token and prints it once, lists tokens without them, and revokes by name', async () => {
    const created = await runSpine(['tokens', 'create', '--name', 'notebook'], env());
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(new RegExp(`^${TOKEN_PREFIX}[\\w-]{43}$`));
    const { rows } = await pool.query(`SELECT token_sha256 FROM research_api_tokens WHERE name = 'notebook'`);
    expect(JSON.stringify(rows)).not.toContain(token.slice(TOKEN_PREFIX.length));
    expect((await runSpine(['tokens', 'create', '--name', 'notebook'], env())).code).toBe(2);
    const listed = await runSpine(['tokens', 'list'], env());
    expect(listed.stdout).toContain(`${token.slice(0, TOKEN_PREFIX.length + 6)}...`);
    expect(listed.stdout).not.toContain(token);
    expect((await runSpine(['tokens', 'revoke', 'notebook'], env())).code).toBe(0);
    expect((await runSpine(['tokens', 'revoke', 'notebook'], env())).code).toBe(2);
    const [record] = JSON.parse((await runSpine(['tokens', 'list', '--json'], env())).stdout) as { name: string; revoked_at: string | null }[];
    expect(record).toMatchObject({ name: 'notebook' });
    expect(record!.revoked_at).not.toBeNull();
  });
});
