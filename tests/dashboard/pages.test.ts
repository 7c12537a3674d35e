import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Queue } from 'bullmq';
import type { DashboardHandle } from '@spine/dashboard';
import { runWeek } from '@spine/otc';
import { createRedis, QUEUES } from '@spine/orchestration';
import { ADMIN, VIEWER, basicPage, formSignIn, startTestDashboard } from '../support/dashboard.ts';
import { resetData, testPool } from '../support/database.ts';
import { GOLDEN_DIR, goldenWeeks, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';

const pool = testPool();
const QUEUE_PREFIX = `test-${inject('testRunId')}-pages`;
let dashboard: DashboardHandle;

beforeAll(async () => {
  await resetData(pool);
  const week = goldenWeeks().find((w) => w.tier === 'NMS_TIER_1' && w.weekEnding === '2025-12-05')!;
  await runWeek(pool, { ...week, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
  // The pages are checked against OTC's weekly schedules: other datasets' are paused while this file runs.
  await pool.query(`UPDATE core_expected_schedules SET enabled = false WHERE domain <> 'otc'`);
  // The source lists the golden weeks only.
  dashboard = await startTestDashboard({ QUEUE_PREFIX, SOURCE_DIR_ALLOWLIST: GOLDEN_DIR }, { publication: async () => ({ has: (_tier, week) => week <= '2025-12-05', where: 'the test listing' }) });
});
afterAll(async () => {
  await pool.query(`UPDATE core_expected_schedules SET enabled = true WHERE domain <> 'otc'`);
  await dashboard?.close();
  // The backfills the form enqueued, which no worker ran.
  const connection = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  for (const name of Object.values(QUEUES)) {
    const queue = new Queue(name, { connection, prefix: QUEUE_PREFIX });
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await connection.quit();
  await pool.end();
});

const page = (path: string, who = ADMIN) => basicPage(`${dashboard.url}${path}`, who);

describe('coverage and partition pages', () => {
  it('shows every due partition with a legend, each cell opening that partition\'s page', async () => {
    const { status, body } = await page('/coverage?until=2025-12-05&weeks=2');
    expect(status).toBe(200);
    expect(body).toContain('id="legend"');
    for (const label of ['complete', 'revised', 'running', 'failed', 'gated', 'not published', 'missing', 'not due']) expect(body).toContain(`>${label}</span>`);
    const cells = [...body.matchAll(/<td class="(\w+)" data-week="([\d-]+)"\s+data-tier="(\w+)" data-venue-type="(\w+)"[^>]*><a class="cell" href="([^"]+)">/g)];
    expect(cells).toHaveLength(2 * 6);
    const cell = (tier: string, venue: string, week: string) => cells.find((c) => c[3] === tier && c[4] === venue && c[2] === week);
    expect(cell('NMS_TIER_1', 'ATS', '2025-12-05')?.[1]).toBe('complete');
    expect(cell('NMS_TIER_1', 'ATS', '2025-12-05')?.[5]).toBe('/partitions/NMS_TIER_1/ATS/2025-12-05');
    expect(cell('NMS_TIER_1', 'ATS', '2025-11-28')?.[1]).toBe('missing');
    expect(cell('OTC', 'NON_ATS', '2025-11-28')?.[1]).toBe('missing');

    const latest = await page('/coverage?weeks=1');
    // Weeks of 2026 are due by now, and the test listing holds none of them.
    expect(latest.body).toMatch(/data-state="not_published"/);
    expect(latest.body).not.toMatch(/data-state="(complete|missing)"/);
  });

  it('shows a partition\'s captures, its run with stage durations, its quality checks, and actions for admins only', async () => {
    const admin = await page('/partitions/NMS_TIER_1/ATS/2025-12-05');
    expect(admin.status).toBe(200);
    expect(admin.body).toContain('data-state="complete"');
    for (const id of ['id="runs"', 'id="captures"', 'id="partition-quality"', 'id="partition-actions"']) expect(admin.body).toContain(id);
    expect(admin.body).toContain('Force re-run');
    expect(admin.body).toMatch(/<tr data-stage="ingest">.*?<td class="num">\d+ ms<\/td>/s);
    const viewer = await page('/partitions/NMS_TIER_1/ATS/2025-12-05', VIEWER);
    expect(viewer.status).toBe(200);
    expect(viewer.body).not.toContain('id="partition-actions"');
    const missing = await page('/partitions/NMS_TIER_1/ATS/2025-11-28');
    expect(missing.body).toContain('Backfill this partition');
    expect(missing.body).toContain('Nothing ran for this partition yet.');
  });

  it('answers 404 for a partition that cannot exist and for an unknown page, as a page with a way back', async () => {
    for (const path of ['/partitions/NMS_TIER_9/ATS/2025-12-05', '/partitions/NMS_TIER_1/ATS/2025-12-04', '/no-such-page']) {
      const { status, body } = await page(path);
      expect(status, path).toBe(404);
      expect(body, path).toContain('id="not-found"');
      expect(body, path).toContain('href="/coverage"');
    }
  });

  it('serves the favicon and the page script to anyone, the script from the dashboard itself', async () => {
    const icon = await fetch(`${dashboard.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await icon.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    const script = await fetch(`${dashboard.url}/assets/dashboard.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('time[datetime]');
    expect((await fetch(`${dashboard.url}/login`).then((r) => r.text()))).toContain('<script src="/assets/dashboard.js" defer></script>');
  });
});

describe('lists', () => {
  it('count their rows, say which they show, filter problems and refuse a bad page', async () => {
    const quality = await page('/quality');
    expect(quality.body).toMatch(/id="quality-summary">Checks of the newest capture of every partition:\s*<span class="PASS">\d+ passed<\/span>/);
    expect(quality.body).toMatch(/<nav class="pager" data-total="\d+">\s*<span class="count">1-\d+ of \d+ checks<\/span>/);
    expect(quality.body).toContain('<a href="/quality?page=1&amp;problems=1" class="filter">warnings and failures only</a>');
    const anomalies = await page('/anomalies?problems=1');
    expect(anomalies.body).toContain('<span class="count">No open warnings and errors.</span>');
    expect((await page('/batches')).body).toMatch(/<span class="count">1-\d+ of \d+ batches<\/span>/);
    for (const path of ['/anomalies?page=0', '/quality?problems=maybe', '/batches?page=x']) expect((await page(path)).status, path).toBe(400);
  });
});

describe('the lineage page', () => {
  it('shows a batch one collapsed section per partition, or the partition asked for, open; an unknown id is a 404', async () => {
    const { rows } = await pool.query<{ batch_id: string }>(`SELECT batch_id FROM core_batches WHERE kind = 'manual'`);
    const all = await page(`/lineage/${rows[0]!.batch_id}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatch(/<details class="partition" data-partition="NMS_TIER_1\/ATS\/2025-12-05" data-status="completed" >/);
    expect(all.body).toMatch(/<tr data-stage="ingest" data-status="completed"><td>ingest<\/td><td class="where">NMS_TIER_1 ATS 2025-12-05<\/td>/);
    const one = await page(`/lineage/${rows[0]!.batch_id}?partition=NMS_TIER_1/ATS/2025-12-05`);
    expect(one.body).toMatch(/data-partition="NMS_TIER_1\/ATS\/2025-12-05" data-status="completed" open>/);
    const other = await page(`/lineage/${rows[0]!.batch_id}?partition=OTC/ATS/2025-12-05`);
    expect(other.body).toContain('No execution of OTC/ATS/2025-12-05 in this lineage.');
    expect((await page('/lineage/backfill-nope')).status).toBe(404);
  });
});

describe('the lag page', () => {
  it('tells the source\'s lateness from ours in days and hours, and lists each missing partition on demand', async () => {
    const { status, body } = await page('/lag');
    expect(status).toBe(200);
    // Today's due weeks are all of 2026: the test listing holds none, so all the lateness is the source's.
    const row = /<tr data-dataset="otc" data-tier="NMS_TIER_1" data-venue-type="ATS">.*?<\/tr>/s.exec(body)![0];
    expect(row).toContain('<td>NMS_TIER_1 ATS</td>');
    expect(row).toMatch(/<td class="not-published">12, the oldest \d{4}-\d\d-\d\d <strong>\d+ d \d+ h<\/strong> late<\/td><td class="not-loaded">-<\/td>/);
    expect(body).toContain('href="/lag?missing=1" id="show-missing">Show the 72 missing partition(s), one row each</a>');
    const detail = await page('/lag?missing=1');
    const rows = [...detail.body.matchAll(/<tr data-state="(\w+)"><td>([^<]+)<\/td><td>(\w+ \w+)<\/td>\s*<td><a href="(\/partitions\/[^"]+)">/g)];
    expect(rows).toHaveLength(72);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['not_published']));
    expect(rows[0]![4]).toMatch(/^\/partitions\/NMS_TIER_1\/ATS\/2026-\d\d-\d\d$/);
    expect((await page('/lag?missing=yes')).status).toBe(400);
  });
});

describe('the backfill form', () => {
  async function signedIn(): Promise<{ cookie: string; csrf: string }> {
    const { cookie } = await formSignIn(dashboard.url, ADMIN);
    const batches = await (await fetch(`${dashboard.url}/batches`, { headers: { cookie } })).text();
    return { cookie, csrf: /<meta name="csrf-token" content="([0-9a-f]{64})"/.exec(batches)![1]! };
  }

  async function submit(fields: Record<string, string>): Promise<Response> {
    const { cookie, csrf } = await signedIn();
    return fetch(`${dashboard.url}/batches`, {
      method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  }

  const field = (body: string, name: string) => new RegExp(`<input name="${name}" value="([^"]*)"`).exec(body)?.[1];

  it('keeps what was typed after a refusal and says what is wrong beside the field, in the form\'s words', async () => {
    const res = await submit({ tier: 'OTC', venue_type: 'ATS', from: '2025-12-12', to: '2025-11-28', source: `dir:${GOLDEN_DIR}`, max_reject_share: '0.3', force: 'true' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('<span class="field-error" data-field="to">To week 2025-11-28 is before From week 2025-12-12.</span>');
    expect(body).not.toMatch(/--(to|from)\b/);
    expect([field(body, 'from'), field(body, 'to'), field(body, 'source'), field(body, 'max_reject_share')]).toEqual(['2025-12-12', '2025-11-28', `dir:${GOLDEN_DIR}`, '0.3']);
    expect(body).toContain('<option selected>OTC</option>');
    expect(body).toContain('<option selected>ATS</option>');
    expect(body).toMatch(/name="force" value="true" checked/);

    const share = await (await submit({ tier: 'OTC', from: '2025-12-05', to: '2025-12-05', max_reject_share: 'half' })).text();
    expect(share).toContain('<span class="field-error" data-field="max_reject_share">Max reject share must be a number from 0 to 1, got &quot;half&quot;.</span>');
  });

  it('enqueues with its own quality gate, and lists what it skipped when everything asked for is already in flight', async () => {
    const request = { tier: 'NMS_TIER_1', venue_type: 'ATS', from: '2025-11-28', to: '2025-12-05', source: `dir:${GOLDEN_DIR}`, max_reject_share: '0.2' };
    const first = await submit(request);
    expect(first.status).toBe(303);
    const batchId = /\/batches\/(backfill-[\w-]+)$/.exec(first.headers.get('location')!)![1]!;
    const { rows } = await pool.query(`SELECT params->>'max_reject_share' AS gate FROM core_batches WHERE batch_id = $1`, [batchId]);
    expect(rows).toEqual([{ gate: '0.2' }]);
    // No worker runs here: the two weeks are still queued.
    const again = await submit(request);
    expect(again.status).toBe(200);
    const body = await again.text();
    expect(body).toContain('id="backfill-notice">Nothing enqueued: every partition asked for is already queued or running.');
    expect(body).toMatch(/id="backfill-skipped"><li>2 partition\(s\) already queued or running:\s*<a href="\/partitions\/NMS_TIER_1\/ATS\/2025-11-28">/);
    expect(field(body, 'from')).toBe('2025-11-28');
  });
});

