import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runWeek } from '@spine/otc';
import { runPartition } from '@spine/platform';
import { dailyFileName, regshoDataset } from '@spine/regsho';
import { writeDailyFiles } from '@spine/regsho-synthetic';
import type { SpineChild } from '@spine/cli/spawn-spine';
import { resetData, testPool } from '../support/database.ts';
import { TestCluster } from '../support/cluster.ts';
import { spawnDashboard } from '../support/dashboard-process.ts';
import { launchChromium } from '../support/chromium.ts';
import { loadResearchData, loadRevision, REVISED_WEEK } from '../research/support.ts';

/** Kept as CI artifacts, not in git (.gitignore). */
const SCREENSHOTS = fileURLToPath(new URL('./screenshots', import.meta.url));
const VIEWER = { user: 'viewer', password: 'viewer-password-1' };
/** FINRA's own file of the OTC week ending 2025-12-12 (3,111 symbols), beside the repo; the golden weeks alone without it. */
const REAL_FILE = fileURLToPath(new URL('../../../shared/finra/finra_otc_weekly_otc_20251215.csv', import.meta.url));

/** Reg SHO's trading days of the week ending 2025-01-10 (XNYS closed on the 9th), one facility's files. */
const REGSHO_DAYS = ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10'];
const regshoDir = mkdtempSync(join(tmpdir(), 'research-browser-'));

const pool = testPool();
const cluster = new TestCluster();
let dashboard: SpineChild;
let baseUrl = '';
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await cluster.start({ DASHBOARD_ADMIN_PASSWORD: 'admin-password-1', DASHBOARD_VIEWER_PASSWORD: VIEWER.password });
  await resetData(pool);
  await loadResearchData(pool);
  await loadRevision(pool);
  if (existsSync(REAL_FILE)) await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-12', file: REAL_FILE, maxRejectShare: 0.05 });
  await writeDailyFiles({ dir: regshoDir, days: REGSHO_DAYS, markets: ['Q'], symbols: 12, seed: 5 });
  for (const day of REGSHO_DAYS) {
    await runPartition(pool, regshoDataset, { key1: 'Q', periodEnd: day, file: join(regshoDir, 'regsho', dailyFileName('Q', day)), maxRejectShare: 0.5 });
  }
  ({ child: dashboard, url: baseUrl } = await spawnDashboard(cluster.env));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await cluster.stop();
  await pool.end();
  rmSync(regshoDir, { recursive: true, force: true });
});

interface Visit {
  page: Page;
  /** Console errors, page errors, failed requests and Content-Security-Policy violations, in order. */
  problems: string[];
}

/** A signed-in viewer's page, with everything that went wrong on it collected from the first script on. */
async function visit(path: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.exposeFunction('__reportCsp', (v: string) => problems.push(`csp: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __reportCsp(v: string): void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(path)}`);
  await page.fill('input[name=user]', VIEWER.user);
  await page.fill('input[name=password]', VIEWER.password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  await page.waitForURL(`${baseUrl}${path}`);
  return { page, problems };
}

/**
 * Each chart of the page drew every series its spec holds (Chart.js's own count of drawn elements per series) and its
 * canvas has pixels painted in more than one color: the chart is there, not an empty frame.
 */
async function chartsDrawn(page: Page): Promise<{ id: string; series: number; drawn: number; colors: number; error: string | null }[]> {
  await page.waitForFunction(() => [...document.querySelectorAll('figure.chart')].every((f) => f.hasAttribute('data-drawn') || f.hasAttribute('data-error')), undefined, { timeout: 15_000 });
  return page.evaluate(() => [...document.querySelectorAll('figure.chart')].map((figure) => {
    const canvas = figure.querySelector('canvas')!;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const colors = new Set<number>();
    for (let i = 0; i < pixels.length && colors.size < 50; i += 4 * 7) if (pixels[i + 3]! > 0) colors.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
    return { id: figure.id, series: Number(figure.getAttribute('data-series')), drawn: Number(figure.getAttribute('data-drawn')), colors: colors.size, error: figure.getAttribute('data-error') };
  }));
}

/** The page has exactly the charts `ids`, each drawn whole. */
async function expectChartsDrawn(page: Page, ids: string[]): Promise<void> {
  const charts = await chartsDrawn(page);
  expect(charts.map((c) => c.id)).toEqual(ids);
  for (const chart of charts) {
    expect(chart.error, chart.id).toBeNull();
    expect(chart.drawn, chart.id).toBe(chart.series);
    expect(chart.colors, chart.id).toBeGreaterThan(3);
  }
}

/** The labels and series Chart.js holds for the chart of figure `id`. */
async function drawnSeries(page: Page, id: string): Promise<{ labels: string[]; series: { label: string; data: (number | null)[] }[] }> {
  return page.evaluate((figure) => {
    const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } } } })
      .Chart.getChart(document.querySelector(`#${figure} canvas`) as HTMLCanvasElement);
    return { labels: chart.data.labels, series: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
  }, id);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

describe('the research pages in a real browser', () => {
  it('draws a symbol page: volume ATS against non-ATS with the revised week marked, venue shares, HHI and ATS share, rolling trend', async () => {
    const { page, problems } = await visit('/research/symbols/AAPL?tier=NMS_TIER_1');
    await expectChartsDrawn(page, ['chart-volume', 'chart-venue-share', 'chart-concentration', 'chart-trend']);
    // The golden Tier 1 weeks are ATS only; the marker of the revised week sits on that week alone.
    const volume = await drawnSeries(page, 'chart-volume');
    expect(volume.series.map((s) => s.label)).toEqual(['ATS volume', 'revised week (served from a later FINRA revision)']);
    const marked = volume.labels.filter((_, i) => volume.series[1]!.data[i] !== null);
    expect(marked).toEqual([REVISED_WEEK]);
    expect(await page.locator(`#symbol-weeks tr[data-week="${REVISED_WEEK}"] strong`).textContent()).toBe('2');
    await screenshot(page, 'research-symbol');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws a tier-week page on the real FINRA week: venue shares and the distribution of concentration', async () => {
    const week = existsSync(REAL_FILE) ? '2025-12-12' : '2025-12-05';
    const { page, problems } = await visit(`/research/weeks/${week}/OTC`);
    await expectChartsDrawn(page, ['chart-venues', 'chart-hhi-distribution']);
    const rows = await page.locator('#week-venues tr[data-mpid]').count();
    expect(rows).toBeGreaterThan(1);
    await screenshot(page, 'research-week');
    // The page's Parquet download of the venue table, as a person gets it: a file named after the week.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#downloads a[href*="table=venue_share"][href*="format=parquet"]')]);
    expect(download.suggestedFilename()).toBe(`OTC_${week}_venue_share.parquet`);
    expect(await download.failure()).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the coverage grid with quality grades and calculation freshness, and opens a symbol from its form', async () => {
    const { page, problems } = await visit('/research');
    const graded = page.locator('#research-coverage td[data-grade]');
    expect(await graded.count()).toBeGreaterThanOrEqual(19);
    const grades = new Set(await graded.evaluateAll((cells) => cells.map((c) => c.getAttribute('data-grade'))));
    expect([...grades].every((g) => ['PASS', 'WARN', 'FAIL'].includes(g!))).toBe(true);
    expect(await page.locator(`#research-coverage td[data-week="${REVISED_WEEK}"][data-tier="NMS_TIER_1"][data-venue-type="ATS"]`).textContent()).toContain('rev 2');
    expect(await page.locator('#research-coverage td[data-grade] time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await screenshot(page, 'research-coverage');
    // An OTC symbol traded on ATS and non-ATS venues in the week ending 2025-12-05.
    await page.fill('#symbol-form input[name=symbol]', 'nsrgy');
    await Promise.all([page.waitForURL(`${baseUrl}/research/symbols/NSRGY`), page.click('#symbol-form button')]);
    await expectChartsDrawn(page, ['chart-volume', 'chart-venue-share', 'chart-concentration', 'chart-trend']);
    expect((await drawnSeries(page, 'chart-volume')).series.map((s) => s.label)).toEqual(['ATS volume', 'non-ATS volume']);
    await screenshot(page, 'research-symbol-ats-non-ats');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('would see a CSP violation: an inline script on a research page is refused and reported', async () => {
    const { page, problems } = await visit('/research/operations?days=1');
    await page.addScriptTag({ content: 'window.inlineRan = true;' }).catch(() => undefined);
    await expect.poll(() => problems.filter((p) => p.startsWith('csp: script-src')).length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    await page.close();
  });

  it('draws the operators\' load lag per tier x venue type and the queues\' throughput', async () => {
    const { page, problems } = await visit('/research/operations?days=1');
    await expectChartsDrawn(page, ['chart-lag', 'chart-throughput']);
    const lagSeries = await page.evaluate(() => JSON.parse(document.querySelector('#chart-lag script.chart-spec')!.textContent!).series.map((s: { label: string }) => s.label));
    expect(lagSeries).toEqual(expect.arrayContaining(['otc NMS_TIER_1 ATS', 'otc OTC NON_ATS']));
    await screenshot(page, 'research-operations');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("goes from the research area to Reg SHO's week and a symbol's days, drawing its volume and short ratio", async () => {
    const { page, problems } = await visit('/research');
    await Promise.all([page.waitForURL(`${baseUrl}/research/datasets/regsho`), page.click('#research-datasets a[href="/research/datasets/regsho"]')]);
    expect(await page.locator('#loaded').textContent()).toContain('4 trade dates loaded, 2025-01-06 to 2025-01-10');
    await Promise.all([page.waitForURL(`${baseUrl}/research/datasets/regsho/weeks/2025-01-10`), page.click('#weeks a')]);
    const symbol = (await page.locator('#week-symbols tr[data-symbol]').first().getAttribute('data-symbol'))!;
    const days = Number(await page.locator(`#week-symbols tr[data-symbol="${symbol}"] td`).nth(1).textContent());
    expect(days).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(`${baseUrl}/research/datasets/regsho/symbols/${encodeURIComponent(symbol)}`), page.click(`#week-symbols tr[data-symbol="${symbol}"] a`)]);
    await expectChartsDrawn(page, ['chart-short-volume', 'chart-short-ratio']);
    const ratio = await drawnSeries(page, 'chart-short-ratio');
    // The symbol's own trade dates of the week, as the week page counted them.
    expect(ratio.labels).toHaveLength(days);
    expect(ratio.labels.every((label) => REGSHO_DAYS.includes(label))).toBe(true);
    expect(ratio.series.map((s) => s.label)).toEqual(['short ratio (%)', '20-day mean short ratio (%)']);
    expect(ratio.series[0]!.data.every((v) => v !== null && v >= 0 && v <= 100)).toBe(true);
    await screenshot(page, 'research-regsho-symbol');
    expect(problems).toEqual([]);
    await page.close();
  });
});
