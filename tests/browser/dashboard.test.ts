import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';
import { testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { runWeek } from '@spine/otc';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE, goldenWeeks } from '../support/golden.ts';
import { TestCluster } from '../support/cluster.ts';
import { launchChromium } from '../support/chromium.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/browser', import.meta.url));
const ADMIN = { user: 'admin', password: 'admin-password-1' };
const VIEWER = { user: 'viewer', password: 'viewer-password-1' };

const pool = testPool();
const cluster = new TestCluster();
const fixtures = mkdtempSync(join(tmpdir(), 'spine-browser-'));
let standIn: FinraStandIn;
let dashboard: SpineChild;
let baseUrl = '';
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  cpSync(GOLDEN_DIR, fixtures, { recursive: true });
  standIn = await startFinraStandIn({ fixturesDir: fixtures, logger: pino({ level: 'silent' }) });
  await cluster.start({
    FINRA_BASE_URL: standIn.url, FINRA_TOKEN_URL: standIn.tokenUrl, FINRA_MAX_ATTEMPTS: '1', FETCH_ATTEMPTS: '1',
    QUALITY_MAX_REJECT_SHARE: '0.5', DASHBOARD_ADMIN_PASSWORD: ADMIN.password, DASHBOARD_VIEWER_PASSWORD: VIEWER.password,
    SOURCE_DIR_ALLOWLIST: GOLDEN_DIR, DASHBOARD_TRUST_PROXY: 'loopback',
    // Small limits, so the throttling test needs few requests; it signs in from forwarded addresses of its own.
    DASHBOARD_LOGIN_FAILURES_PER_USER_IP: '3', DASHBOARD_LOGIN_FAILURES_PER_IP: '5',
  });
  await resetData(pool);
  // The views' counts below are OTC's weekly schedules: other datasets' are paused while this file runs (Reg SHO's
  // pages: tests/dashboard/regsho-pages.test.ts).
  await pool.query(`UPDATE core_expected_schedules SET enabled = false WHERE domain <> 'otc'`);
  await cluster.spawnWorker();
  dashboard = await spawnSpine(['dashboard', '--port', '0'], { ...process.env, ...cluster.env }, { startedMessage: 'dashboard started' });
  baseUrl = /"url":"(http:[^"]+)"/.exec(dashboard.output())![1]!;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await cluster.stop();
  await standIn?.close();
  rmSync(fixtures, { recursive: true, force: true });
  await pool.query(`UPDATE core_expected_schedules SET enabled = true WHERE domain <> 'otc'`);
  await pool.end();
});

/** Content-Security-Policy violations the page reported, collected from the first script on. */
async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

async function signIn(who: { user: string; password: string }, path = '/coverage'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${baseUrl}${path}`);
  await page.fill('input[name=user]', who.user);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`**${path}`);
  return page;
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const auth = Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64');
  return fetch(`${baseUrl}${path}`, { ...init, headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json', ...init.headers } });
}

async function failedFetchFor(tier: string, week: string): Promise<string> {
  standIn.faults.push({ kind: '500' }, { tier, weekEnding: week });
  const res = await api('/api/backfill', { method: 'POST', body: JSON.stringify({ tier, venue_type: 'ATS', from: week, to: week, source: 'finra' }) });
  expect(res.status).toBe(202);
  const { batch_id } = (await res.json()) as { batch_id: string };
  const jobId = `otc-${tier}-${week}-fetch`;
  await expect.poll(async () => (await (await api(`/api/batches/${batch_id}`)).json()).weeks_failed, { timeout: 30_000 }).toBe(1);
  return jobId;
}

/**
 * Bull Board's job actions are icon buttons whose name only shows as a tooltip on hover, so a person (and this
 * test) finds one by hovering the icons of the job card.
 */
async function jobActionLabels(page: Page): Promise<string[]> {
  const labels: string[] = [];
  const icons = jobIcons(page);
  for (let i = 0; i < (await icons.count()); i++) labels.push(await hoverLabel(page, icons.nth(i)));
  return labels;
}

function jobIcons(page: Page) {
  return page.locator('main button:not([role=tab]):not([title]):not([aria-haspopup])').filter({ has: page.locator('svg') });
}

async function hoverLabel(page: Page, icon: ReturnType<Page['locator']>): Promise<string> {
  await page.mouse.move(0, 0);
  await icon.hover();
  const tip = page.locator('[data-side][data-open]:not([role=presentation])').last();
  try {
    await tip.waitFor({ state: 'visible', timeout: 1500 });
    return (await tip.innerText()).trim();
  } catch {
    return '';
  }
}

async function clickJobAction(page: Page, label: string): Promise<void> {
  const icons = jobIcons(page);
  for (let i = 0; i < (await icons.count()); i++) {
    if ((await hoverLabel(page, icons.nth(i))) === label) {
      await icons.nth(i).click();
      const confirm = page.getByRole('button', { name: /^(confirm|yes|ok|retry)$/i });
      if (await confirm.first().isVisible({ timeout: 1000 }).catch(() => false)) await confirm.first().click();
      return;
    }
  }
  throw new Error(`no "${label}" action on the page`);
}

describe('dashboard in a real browser', () => {
  it('keeps everything but health and metrics behind a login, then shows the queues', async () => {
    for (const path of ['/livez', '/readyz', '/metrics']) expect((await fetch(`${baseUrl}${path}`)).status, path).toBe(200);
    expect((await fetch(`${baseUrl}/api/lag`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/queues/`, { redirect: 'manual' })).status).toBe(303);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toContain('spine_queue_jobs{queue="fetch"');
    expect(metrics).not.toContain(ADMIN.password);

    const page = await signIn(ADMIN, '/queues');
    // Nothing from another site: no web fonts from Google (the board's own template links them), nothing else.
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    await page.reload();
    await page.getByText('fetch', { exact: true }).first().waitFor();
    await page.getByText('stage', { exact: true }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '01-queues.png') });
    expect(await page.content()).not.toContain(ADMIN.password);
    expect(await page.content()).not.toContain('fonts.googleapis.com');
    // Bull Board works under the Content-Security-Policy: the board rendered above, and nothing was blocked.
    const board = await fetch(`${baseUrl}/queues/`, { headers: { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}` } });
    expect(board.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(board.headers.get('content-security-policy')).not.toContain('googleapis');
    await page.goto(`${baseUrl}/queues/queue/stage`);
    await page.getByText('stage', { exact: true }).first().waitFor();
    expect(await cspViolations(page)).toEqual([]);
    expect(elsewhere).toEqual([]);
    // And a way back to the dashboard.
    await page.click('#spine-dashboard-link');
    await page.waitForURL('**/coverage');
    expect((await fetch(`${baseUrl}/favicon.ico`)).status).toBe(200);
    await page.close();
  });

  it('retries a job that failed on a FINRA 500, watches it complete, and the week turns complete in the coverage grid', async () => {
    const jobId = await failedFetchFor('OTC', '2025-12-05');
    const page = await signIn(ADMIN, '/queues/queue/fetch?status=failed');
    const card = page.locator(`text=${jobId}`).first();
    await card.waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '02-failed-job.png') });
    expect(await jobActionLabels(page)).toContain('Retry');
    await clickJobAction(page, 'Retry');
    await expect.poll(async () => {
      const res = await api('/api/coverage?until=2025-12-05&weeks=1');
      const { cells } = (await res.json()) as { cells: { tier: string; venue_type: string; state: string }[] };
      return cells.find((c) => c.tier === 'OTC' && c.venue_type === 'ATS')?.state;
    }, { timeout: 30_000 }).toBe('complete');
    await page.goto(`${baseUrl}/coverage?until=2025-12-05&weeks=6`);
    await expect.poll(() => page.locator('td[data-tier="OTC"][data-venue-type="ATS"][data-week="2025-12-05"]').getAttribute('data-state')).toBe('complete');
    // The grid has a column per schedule (tier and venue type); this week's non-ATS summary was never loaded.
    const headers = await page.locator('#coverage th').allInnerTexts();
    expect(headers).toEqual(['week_ending', 'NMS_TIER_1 ATS', 'NMS_TIER_1 NON_ATS', 'NMS_TIER_2 ATS', 'NMS_TIER_2 NON_ATS', 'OTC ATS', 'OTC NON_ATS']);
    expect(await page.locator('td[data-tier="OTC"][data-venue-type="NON_ATS"][data-week="2025-12-05"]').getAttribute('data-state')).toBe('missing');
    await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', venueType: 'NON_ATS', file: join(GOLDEN_DIR, 'OTC', 'NON_ATS', '2025-12-05.psv'), maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    await page.reload();
    expect(await page.locator('td[data-tier="OTC"][data-venue-type="NON_ATS"][data-week="2025-12-05"]').getAttribute('data-state')).toBe('complete');
    await page.screenshot({ path: join(ARTIFACTS, '03-coverage-after-retry.png') });
    await page.close();
  });

  it('shows every due partition of the calendar with a legend, and a cell opens that partition with its runs and actions', async () => {
    const page = await signIn(ADMIN, '/coverage');
    // Today's newest due weeks: none is in the stand-in's listing, so none is "missing" (ours) but "not published".
    expect(await page.locator('#coverage td[data-state]').count()).toBe(12 * 6);
    expect(await page.locator('#coverage td[data-state="missing"]').count()).toBe(0);
    expect(await page.locator('#coverage td[data-state="not_published"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#legend li').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^not published/), expect.stringMatching(/^not due/)]));
    await page.screenshot({ path: join(ARTIFACTS, '10-coverage-calendar.png'), fullPage: true });

    // A week that failed at FINRA: its cell says so and opens its own page, where an admin retries it.
    await failedFetchFor('NMS_TIER_1', '2025-11-28');
    await page.goto(`${baseUrl}/coverage?until=2025-12-05&weeks=6`);
    const cell = page.locator('td[data-tier="NMS_TIER_1"][data-venue-type="ATS"][data-week="2025-11-28"]');
    expect(await cell.getAttribute('data-state')).toBe('failed');
    await cell.locator('a').click();
    await page.waitForURL('**/partitions/NMS_TIER_1/ATS/2025-11-28');
    expect(await page.locator('#partition').getAttribute('data-state')).toBe('failed');
    const fetchJob = page.locator('#runs tr[data-stage="fetch"] a[href^="/jobs/fetch/"]').first();
    expect(await fetchJob.getAttribute('href')).toBe('/jobs/fetch/otc-NMS_TIER_1-2025-11-28-fetch');
    await page.screenshot({ path: join(ARTIFACTS, '11-partition-failed.png'), fullPage: true });
    await page.click('text=Retry the failed job');
    await page.waitForURL('**/partitions/NMS_TIER_1/ATS/2025-11-28?retried=1');
    await expect.poll(async () => {
      await page.reload();
      return page.locator('#partition').getAttribute('data-state');
    }, { timeout: 30_000, interval: 500 }).toBe('complete');
    expect(await page.locator('#runs details').first().getAttribute('data-status')).toBe('completed');
    expect(await page.locator('#partition-quality tr').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(ARTIFACTS, '12-partition-complete.png'), fullPage: true });
    // Its stage durations are the stages' own.
    expect(await page.locator('#runs details').first().locator('tr[data-stage="ingest"] td.num').nth(1).innerText()).toMatch(/^\d+(\.\d)? m?s$/);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('starts a backfill from the batches page and follows it on the batch page, which refreshes itself', async () => {
    const page = await signIn(ADMIN, '/batches');
    await page.selectOption('select[name=tier]', 'NMS_TIER_1');
    // The golden directory holds ATS weeks of Tier 1 only.
    await page.selectOption('select[name=venue_type]', 'ATS');
    await page.fill('input[name=from]', '2025-11-21');
    await page.fill('input[name=to]', '2025-12-05');
    await page.fill('input[name=source]', `dir:${GOLDEN_DIR}`);
    await page.click('#backfill-form button[type=submit]');
    await page.waitForURL(/\/batches\/backfill-/);
    // No reload: the page re-reads itself while the batch runs.
    await page.locator('#batch-progress[data-status="completed"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#batch-progress').innerText()).toContain('partitions 3/3 done');
    expect(await page.locator('#batch-hub').getAttribute('data-refresh')).toBeNull();
    const request = await page.locator('#batch-request').innerText();
    for (const fact of ['NMS_TIER_1', 'ATS', '2025-11-21 to 2025-12-05', `dir:${GOLDEN_DIR}`, 'dashboard:admin']) expect(request).toContain(fact);
    const rows = page.locator('#batch-partitions tr[data-partition]');
    expect(await rows.count()).toBe(3);
    expect(await rows.first().getAttribute('data-status')).toBe('completed');
    // Processing and queue wait, apart, in the row of each partition.
    expect(await rows.first().locator('td.num').nth(2).innerText()).toMatch(/\d/);
    expect(await rows.first().locator('td.num').nth(3).innerText()).toMatch(/\d/);
    await page.screenshot({ path: join(ARTIFACTS, '04-backfill-done.png'), fullPage: true });
    await page.click('#batch-hub a[href^="/lineage/"]');
    await page.locator('#lineage').waitFor();
    // One collapsed section per partition, every execution naming its venue type; the batch's own row agrees with the batch.
    const sections = page.locator('#lineage details.partition');
    expect(await sections.count()).toBe(3);
    expect(await page.locator('#lineage details.partition[open]').count()).toBe(0);
    expect(await page.locator('#lineage > table tr[data-stage="batch"]').getAttribute('data-status')).toBe('completed');
    await sections.first().locator('summary strong').click();
    const executions = sections.first().locator('tr[data-stage]');
    expect(await executions.count()).toBeGreaterThanOrEqual(6);
    for (const where of await sections.first().locator('tr[data-stage] td:nth-child(2)').allInnerTexts()) expect(where).toBe('NMS_TIER_1 ATS 2025-11-21');
    await page.screenshot({ path: join(ARTIFACTS, '05-lineage.png'), fullPage: true });

    // A bad range is refused in the form's words, beside the field, and what was typed stays.
    await page.goto(`${baseUrl}/batches`);
    await page.selectOption('select[name=tier]', 'OTC');
    await page.fill('input[name=from]', '2025-12-12');
    await page.fill('input[name=to]', '2025-11-28');
    await page.fill('input[name=max_reject_share]', '0.2');
    await page.click('#backfill-form button[type=submit]');
    await expect.poll(() => page.locator('#backfill-error').innerText()).toBe('To week 2025-11-28 is before From week 2025-12-12.');
    expect(await page.locator('.field-error[data-field="to"]').innerText()).toBe('To week 2025-11-28 is before From week 2025-12-12.');
    expect([await page.inputValue('select[name=tier]'), await page.inputValue('input[name=from]'), await page.inputValue('input[name=to]'), await page.inputValue('input[name=max_reject_share]')])
      .toEqual(['OTC', '2025-12-12', '2025-11-28', '0.2']);
    await page.screenshot({ path: join(ARTIFACTS, '15-backfill-form-error.png') });

    // A range partly unpublished: the published weeks run, and the batch page lists the week FINRA has not published.
    await page.selectOption('select[name=tier]', 'NMS_TIER_1');
    await page.selectOption('select[name=venue_type]', 'ATS');
    await page.fill('input[name=from]', '2025-11-28');
    await page.fill('input[name=to]', '2025-12-12');
    await page.fill('input[name=source]', 'finra');
    await page.click('#backfill-form button[type=submit]');
    await page.waitForURL(/\/batches\/backfill-/);
    expect(await page.locator('#batch-partitions tr[data-partition]').count()).toBe(2);
    expect(await page.locator('#batch-skipped').innerText()).toBe('1 partition(s) not published by FINRA yet, so not enqueued: NMS_TIER_1 ATS 2025-12-12');
    expect(await page.locator('#batch-request').innerText()).toContain('more than 20% of its lines are rejected');
    await page.locator('#batch-progress[data-status="completed"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(ARTIFACTS, '16-backfill-skipped.png'), fullPage: true });
    await page.close();
  });

  it('lists a batch\'s failed job with its place in Bull Board and retries it from the batch page; an unknown batch is a 404', async () => {
    const jobId = await failedFetchFor('NMS_TIER_2', '2025-11-28');
    const { rows } = await pool.query<{ batch_id: string }>(`SELECT batch_id FROM core_executions WHERE stage = 'week' AND key_1 = 'NMS_TIER_2' AND period_end = '2025-11-28' ORDER BY started_at DESC LIMIT 1`);
    const page = await signIn(ADMIN, `/batches/${rows[0]!.batch_id}`);
    const row = page.locator('#batch-partitions tr[data-partition]');
    expect(await row.getAttribute('data-status')).toBe('failed');
    expect(await row.locator('a.job-link').getAttribute('href')).toBe(`/jobs/fetch/${jobId}`);
    const link = await page.request.get(`${baseUrl}/jobs/fetch/${jobId}`, { maxRedirects: 0 });
    expect([link.status(), link.headers().location]).toEqual([302, `/queues/queue/fetch/${jobId}`]);
    await page.screenshot({ path: join(ARTIFACTS, '13-batch-failed.png'), fullPage: true });
    // Its lineage says failed of the failed batch, and opens the failed partition.
    await page.click('#batch-hub a[href^="/lineage/"]');
    expect(await page.locator('#lineage > table tr[data-stage="batch"]').getAttribute('data-status')).toBe('failed');
    expect(await page.locator('#lineage details.partition[open]').getAttribute('data-status')).toBe('failed');
    await page.goBack();
    await row.locator('button', { hasText: 'Retry' }).click();
    await page.waitForURL(/retried=1$/);
    await page.locator('#batch-progress[data-status="completed"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#batch-partitions tr[data-partition]').getAttribute('data-status')).toBe('completed');
    await page.screenshot({ path: join(ARTIFACTS, '14-batch-retried.png'), fullPage: true });
    const missing = await page.goto(`${baseUrl}/batches/backfill-nope`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('#not-found').innerText()).toContain('No batch backfill-nope');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('gives a read-only user no way to retry or enqueue', async () => {
    const jobId = await failedFetchFor('NMS_TIER_2', '2025-12-05');
    // The look-up must be able to fail: on the admin's board the same job's icons do show Retry (tooltips appear).
    const adminPage = await signIn(ADMIN, '/queues/queue/fetch?status=failed');
    await adminPage.locator(`text=${jobId}`).first().waitFor();
    expect(await jobActionLabels(adminPage)).toContain('Retry');
    await adminPage.close();
    const page = await signIn(VIEWER, '/queues/queue/fetch?status=failed');
    await page.locator(`text=${jobId}`).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '06-viewer-failed-job.png') });
    expect(await jobActionLabels(page)).not.toContain('Retry');
    expect(await page.getByRole('button', { name: /retry all/i }).count()).toBe(0);
    // The board's write routes answer 405, even when called from the viewer's own signed-in page.
    const status = await page.evaluate(async (id) => (await fetch(`/queues/api/queues/fetch/${id}/retry`, { method: 'PUT' })).status, jobId);
    expect(status).toBe(405);
    const enqueue = await page.evaluate(async () => {
      const token = document.querySelector('meta[name=csrf-token]')?.getAttribute('content') ?? '';
      return (await fetch('/api/backfill', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token }, body: JSON.stringify({ tier: 'OTC', from: '2025-11-28', to: '2025-11-28' }) })).status;
    });
    expect(enqueue).toBe(403);
    await page.goto(`${baseUrl}/batches`);
    expect(await page.locator('#backfill-form').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, '07-viewer-batches.png') });
    await page.close();
  });

  it('renders every operations view, each saved as a screenshot, every list counted and paged with a problems-only filter', async () => {
    // A week of its own, so the quality table has checks whichever tests ran before this one.
    await runWeek(pool, { ...goldenWeeks()[0]!, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
    const page = await signIn(ADMIN, '/coverage');
    const views: [string, string][] = [['/coverage', '#coverage'], ['/lag', '#lag'], ['/anomalies', '#anomalies'], ['/quality', '#quality'], ['/batches', '#batches']];
    for (const [path, selector] of views) {
      await page.goto(`${baseUrl}${path}`);
      await page.locator(selector).waitFor();
      expect(await page.locator('.error').count(), path).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, `08-view-${path.slice(1)}.png`), fullPage: true });
    }
    // The lag view has a row per enabled tier and venue type.
    await page.goto(`${baseUrl}/lag`);
    expect(await page.locator('#lag tr').count()).toBe(7);
    // The stand-in lists none of today's due weeks: FINRA's lateness, in days and hours, and none of ours.
    expect(await page.locator('#lag tr[data-tier="NMS_TIER_1"][data-venue-type="ATS"] td.not-published').innerText()).toMatch(/^12, the oldest \S+ \d+ d \d+ h late$/);
    expect(await page.locator('#lag tr[data-tier="NMS_TIER_1"][data-venue-type="ATS"] td.not-loaded').innerText()).toBe('-');
    await page.click('#show-missing');
    await page.waitForURL('**/lag?missing=1');
    expect(await page.locator('#missing tr[data-state="not_published"]').count()).toBe(72);
    await page.screenshot({ path: join(ARTIFACTS, '17-lag-missing.png'), fullPage: false });

    // Quality: a summary of every check, the count of the list, and the problems alone a click away.
    await page.goto(`${baseUrl}/quality`);
    const summary = await page.locator('#quality-summary').innerText();
    const [passed, warned, failed] = [...summary.matchAll(/(\d+) (passed|warned|failed)/g)].map((m) => Number(m[1]));
    const total = Number(await page.locator('nav.pager').getAttribute('data-total'));
    expect(passed! + warned! + failed!).toBe(total);
    expect(await page.locator('#quality tr').count()).toBe(Math.min(total, 50) + 1);
    await page.click('nav.pager a.filter');
    await page.waitForURL('**/quality?page=1&problems=1');
    expect(Number(await page.locator('nav.pager').getAttribute('data-total'))).toBe(warned! + failed!);
    expect(await page.locator('#quality td.PASS').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, '18-quality-problems.png'), fullPage: true });

    // Batches: counted; failed or partial ones alone on demand.
    await page.goto(`${baseUrl}/batches?problems=1`);
    const statuses = await page.locator('#batches tr td:nth-child(3)').allInnerTexts();
    expect(statuses.every((s) => s !== 'completed' && s !== 'running')).toBe(true);
    expect(await page.locator('nav.pager .count').innerText()).toMatch(/^(No failed or partial batches\.|\d+-\d+ of \d+ failed or partial batches)$/);

    // Times are ISO 8601 in UTC, with the reader's local time on hover.
    await page.goto(`${baseUrl}/batches`);
    const created = page.locator('#batches time').first();
    expect(await created.innerText()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await created.getAttribute('title')).toBeTruthy();

    // An unknown page is a 404 page with a way back.
    const missing = await page.goto(`${baseUrl}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await page.click('#not-found + p a');
    await page.waitForURL('**/coverage');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows hostile issue names, symbols and messages as text, running none of them', async () => {
    const hostile = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">"'&`;
    await pool.query(`INSERT INTO core_anomalies (domain, category, severity, key_1, message) VALUES ('otc', 'QUALITY', 'WARN', $1, $2)`, [`OTC"><b>`, `symbol ${hostile} issue ${hostile}`]);
    const page = await signIn(ADMIN, '/anomalies');
    const cell = page.locator('#anomalies td', { hasText: 'symbol <script>' }).first();
    expect(await cell.innerText()).toBe(`symbol ${hostile} issue ${hostile}`);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#anomalies b, #anomalies img').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, '09-hostile-anomaly.png') });
    await page.close();
  });

  it('sends the browser back only to the dashboard after signing in', async () => {
    for (const next of ['/\\evil.example', '//evil.example/x', 'https://evil.example/']) {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
      await page.fill('input[name=user]', ADMIN.user);
      await page.fill('input[name=password]', ADMIN.password);
      await page.click('button[type=submit]');
      await page.waitForLoadState();
      expect(new URL(page.url()).origin, next).toBe(new URL(baseUrl).origin);
      await page.close();
    }
  });

  it('revokes a session on sign-out: the old cookie no longer works', async () => {
    const page = await signIn(ADMIN, '/coverage');
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await fetch(`${baseUrl}/api/lag`, { headers: { cookie } })).status).toBe(200);
    await page.click('text=Sign out');
    await page.waitForURL('**/login');
    expect((await fetch(`${baseUrl}/api/lag`, { headers: { cookie } })).status).toBe(401);
    await page.close();
  });

  it('marks the session cookie Secure when the browser came over HTTPS through a trusted proxy', async () => {
    const login = (headers: Record<string, string>) => fetch(`${baseUrl}/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ user: ADMIN.user, password: ADMIN.password, next: '/lag' }).toString(),
    });
    const https = await login({ 'x-forwarded-proto': 'https' });
    expect(https.status).toBe(303);
    expect(https.headers.getSetCookie().join('\n')).toMatch(/spine_session=.*; secure/i);
    const plain = await login({});
    expect(plain.headers.getSetCookie().join('\n')).not.toMatch(/secure/i);
  });

  it('throttles failed sign-ins per user and client address and per client address, on the form and on basic auth', async () => {
    const form = (user: string, password: string, ip: string) => fetch(`${baseUrl}/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
      body: new URLSearchParams({ user, password }).toString(),
    });
    // Per user and address: three failures for one name from one address, and the fourth try from there is refused.
    for (let i = 0; i < 3; i++) expect((await form('mallory', 'guess-guess', '10.9.0.1')).status).toBeOneOf([401, 429]);
    const user = await form('mallory', 'guess-guess', '10.9.0.1');
    expect(user.status).toBe(429);
    expect(Number(user.headers.get('retry-after'))).toBeGreaterThan(0);
    // Per address: five failures under different names, then even the right password is refused from there.
    for (let i = 0; i < 5; i++) await form(`guess${i}`, 'guess-guess', '10.9.1.1');
    const address = await form(ADMIN.user, ADMIN.password, '10.9.1.1');
    expect(address.status).toBe(429);
    expect(Number(address.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address still signs in.
    expect((await form(ADMIN.user, ADMIN.password, '10.9.2.1')).status).toBe(303);
    // Basic auth counts the same way.
    const basic = (password: string) => fetch(`${baseUrl}/api/lag`, {
      headers: { authorization: `Basic ${Buffer.from(`${ADMIN.user}x:${password}`).toString('base64')}`, 'x-forwarded-for': '10.9.3.1' },
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await basic('wrong-password')).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
    expect(Number((await basic('wrong-password')).headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a signed-in request with neither Origin nor CSRF token, and basic auth from another site', async () => {
    // Signed in through the login form, from an address of its own (the throttling test counts per address).
    const login = await fetch(`${baseUrl}/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.9.5.1' },
      body: new URLSearchParams({ user: ADMIN.user, password: ADMIN.password, next: '/batches' }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    // A range that is backwards: a request the CSRF check lets through is answered 400 and enqueues nothing.
    const body = JSON.stringify({ tier: 'OTC', from: '2025-12-12', to: '2025-11-28' });
    const post = (headers: Record<string, string>) => fetch(`${baseUrl}/api/backfill`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    const bare = await post({ cookie });
    expect(bare.status).toBe(403);
    expect(await bare.json()).toEqual({ error: 'missing or invalid CSRF token' });
    expect((await post({ cookie, 'x-csrf-token': '0'.repeat(64) })).status).toBe(403);
    // The same session with its own token, and with its own Origin, gets past the check.
    const page = await (await fetch(`${baseUrl}/batches`, { headers: { cookie } })).text();
    const token = /<meta name="csrf-token" content="([0-9a-f]{64})"/.exec(page)?.[1];
    expect(token).toBeDefined();
    expect((await post({ cookie, 'x-csrf-token': token! })).status).toBe(400);
    expect((await post({ cookie, origin: baseUrl })).status).toBe(400);

    const basic = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;
    const foreign = await post({ authorization: basic, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: 'cross-site request refused' });
    // A script (basic auth, no Origin) needs no token.
    expect((await post({ authorization: basic })).status).toBe(400);
    // A wrong password is no sign-in at all.
    const wrong = await post({ authorization: `Basic ${Buffer.from(`${VIEWER.user}:not-the-password`).toString('base64')}`, 'x-forwarded-for': '10.9.6.1' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="spine"');
    expect(await count(pool, `SELECT 1 FROM core_batches WHERE params->>'from' = '2025-12-12'`)).toBe(0);
  });

  it('refuses a state-changing request from another site', async () => {
    const page = await signIn(ADMIN, '/batches');
    const cookies = await page.context().cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(`${baseUrl}/api/backfill`, {
      method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ tier: 'OTC', from: '2025-11-28', to: '2025-11-28' }),
    });
    expect(res.status).toBe(403);
    await page.close();
  });
});
