import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { runWeek } from '@spine/otc';
import { ADMIN, VIEWER, basicGet, startTestDashboard } from '../support/dashboard.ts';
import { resetData, testPool } from '../support/database.ts';
import { goldenWeeks, GOLDEN_MAX_REJECT_SHARE } from '../support/golden.ts';

const pool = testPool();
let dashboard: DashboardHandle;

beforeAll(async () => {
  await resetData(pool);
  const week = goldenWeeks().find((w) => w.tier === 'NMS_TIER_1' && w.weekEnding === '2025-12-05')!;
  await runWeek(pool, { ...week, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
  // The source lists the golden weeks only.
  dashboard = await startTestDashboard({}, { publication: async () => ({ has: (_tier, week) => week <= '2025-12-05', where: 'the test listing' }) });
});
afterAll(async () => {
  await dashboard?.close();
  await pool.end();
});

async function page(path: string, who = ADMIN): Promise<{ status: number; body: string }> {
  const res = await basicGet(`${dashboard.url}${path}`, who);
  return { status: res.status, body: await res.text() };
}

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
