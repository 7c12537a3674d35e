import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { NO_SECOND_KEY, runPartition } from '@spine/platform';
import { datasets } from '@spine/datasets';
import { dailyFileName, regshoDataset } from '@spine/regsho';
import { writeDailyFiles } from '@spine/regsho-synthetic';
import { ADMIN, basicGet, basicPage, formSignIn, startTestDashboard } from '../support/dashboard.ts';
import { resetData, testPool } from '../support/database.ts';

/** The coverage grid and a partition's page of the daily dataset: trading days x facilities, beside the weekly one. */
const pool = testPool();
const dir = mkdtempSync(join(tmpdir(), 'regsho-pages-'));
let dashboard: DashboardHandle;

beforeAll(async () => {
  await resetData(pool);
  await writeDailyFiles({ dir, days: ['2025-01-10'], markets: ['Q'], symbols: 20, seed: 3 });
  await runPartition(pool, regshoDataset, { key1: 'Q', periodEnd: '2025-01-10', file: join(dir, 'regsho', dailyFileName('Q', '2025-01-10')), maxRejectShare: 0.5 });
  dashboard = await startTestDashboard({ QUEUE_PREFIX: `test-${inject('testRunId')}-regsho-pages` },
    { publication: async (dataset, _source, _oldest) => ({ has: (_key, day) => dataset === 'regsho' && day <= '2025-01-10', where: 'the test listing' }) });
});
afterAll(async () => {
  await dashboard?.close();
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

const page = (path: string) => basicPage(`${dashboard.url}${path}`, ADMIN);

describe('the dashboard\'s pages of Reg SHO\'s daily short-sale volume', () => {
  it('shows trading days x facilities in the coverage grid, never the closed day, each cell opening its partition', async () => {
    const { status, body } = await page('/coverage?dataset=regsho&until=2025-01-10&weeks=3');
    expect(status).toBe(200);
    expect(body).toContain('3 trading days to 2025-01-10');
    expect(body).toContain('<th>trade_date</th>');
    expect([...body.matchAll(/<th data-tier="(\w)" data-venue-type="-">(\w)<\/th>/g)].map((m) => m[2])).toEqual(['B', 'D', 'N', 'Q']);
    const days = [...new Set([...body.matchAll(/data-week="([\d-]+)"/g)].map((m) => m[1]))];
    expect(days).toEqual(['2025-01-10', '2025-01-08', '2025-01-07']);
    const cell = /<td class="(\w+)" data-week="2025-01-10"\s+data-tier="Q" data-venue-type="-"[^>]*><a class="cell" href="([^"]+)">/.exec(body);
    expect(cell?.[1]).toBe('complete');
    expect(cell?.[2]).toBe(`/partitions/Q/${NO_SECOND_KEY}/2025-01-10?dataset=regsho`);
    expect(body).toContain('href="/coverage?weeks=3&amp;until=2025-01-06&amp;dataset=regsho" rel="next">older trading days</a>');
    // The first dataset's grid links to the second's.
    expect((await page('/coverage?weeks=1')).body).toContain('<a href="/coverage?dataset=regsho">');
  });

  it('lists the facility\'s quality checks in its own words, each linking to its trading day', async () => {
    const { status, body } = await page('/quality');
    expect(status).toBe(200);
    expect(body).toContain('<span class="PASS">3 passed</span>');
    const rows = [...body.matchAll(/<tr><td><a href="([^"]+)">([\d-]+)<\/a><\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><td>(\w+)<\/td>/g)].map((m) => m.slice(1));
    expect(rows).toEqual(['line_accounting', 'records_present', 'reject_share'].map((check) =>
      [`/partitions/Q/${NO_SECOND_KEY}/2025-01-10?dataset=regsho`, '2025-01-10', regshoDataset.title, 'Q', check]));
  });

  it('opens a facility\'s trading day with its captures and runs; refuses a closed day and an unknown dataset', async () => {
    const partition = await page(`/partitions/Q/${NO_SECOND_KEY}/2025-01-10?dataset=regsho`);
    expect(partition.status).toBe(200);
    expect(partition.body).toContain('Reg SHO');
    expect(partition.body).toContain('trade date 2025-01-10');
    expect(partition.body).toMatch(/<code>regsho-Q-2025-01-10-[0-9a-f]{12}<\/code>, revision 1/);
    expect((await page('/coverage?dataset=regsho&until=2025-01-09')).status).toBe(400);
    expect((await page('/coverage?dataset=nasdaq')).status).toBe(400);
    const api = await basicGet(`${dashboard.url}/api/coverage?dataset=regsho&until=2025-01-09`, ADMIN);
    expect(api.status).toBe(400);
    expect(await api.json()).toEqual({ error: 'until: 2025-01-09 is not a trading day: XNYS is closed (National Day of Mourning for President Jimmy Carter)' });
  });

  it('offers a backfill form of trading days and facilities, whose refusals speak of trading days', async () => {
    const { cookie } = await formSignIn(dashboard.url, ADMIN);
    const batches = await (await fetch(`${dashboard.url}/batches?dataset=regsho`, { headers: { cookie } })).text();
    expect(batches).toContain('id="backfill-form" data-dataset="regsho"');
    expect(batches).toContain('<input type="hidden" name="dataset" value="regsho">');
    expect(batches).toContain('From trading day (a trading day)');
    expect(batches).not.toContain('name="venue_type"><option');
    expect(batches).toContain('<a href="/batches">');
    const csrf = /<meta name="csrf-token" content="([0-9a-f]{64})"/.exec(batches)![1]!;
    const res = await fetch(`${dashboard.url}/batches`, {
      method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, dataset: 'regsho', tier: 'Q', venue_type: 'all', from: '2025-01-09', to: '2025-01-10', source: 'finra' }).toString(),
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('<span class="field-error" data-field="from">2025-01-09 is not a trading day: XNYS is closed');
    expect(body).toContain('data-dataset="regsho"');
  });

  it('describes the shared queues on Bull Board and links each Reg SHO job to its trading day\'s page', async () => {
    const { cookie } = await formSignIn(dashboard.url, ADMIN);
    const batches = await (await fetch(`${dashboard.url}/batches?dataset=regsho`, { headers: { cookie } })).text();
    const csrf = /<meta name="csrf-token" content="([0-9a-f]{64})"/.exec(batches)![1]!;
    const enqueued = await fetch(`${dashboard.url}/batches`, {
      method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, dataset: 'regsho', tier: 'B', venue_type: 'all', from: '2025-01-10', to: '2025-01-10', source: 'finra' }).toString(),
    });
    expect(enqueued.status).toBe(303);
    // The batch's page speaks of the dataset's facility and trading days.
    const batch = await (await fetch(`${dashboard.url}${enqueued.headers.get('location')}`, { headers: { cookie } })).text();
    expect(batch).toContain(`${regshoDataset.title}, backfill: running; partitions 0/1 done`);
    expect(batch).toMatch(/<dt>facility<\/dt><dd>B<\/dd>\s*<dt>trade date<\/dt><dd>2025-01-10 to 2025-01-10<\/dd>/);
    expect(batch).not.toContain('venue type');
    // No worker runs here: the fetch job waits, as Bull Board shows it.
    const board = await basicGet(`${dashboard.url}/queues/api/queues?activeQueue=fetch&status=waiting&page=1&jobsPerPage=10`, ADMIN);
    expect(board.status).toBe(200);
    const { queues } = await board.json() as { queues: { name: string; description?: string; jobs: { id: string; externalUrl?: { href: string; displayText?: string } }[] }[] };
    const fetchQueue = queues.find((q) => q.name === 'fetch')!;
    expect(fetchQueue.description).toBe(`Downloads of every dataset's partitions into S3 (${datasets.list().map((d) => d.shortTitle).join(', ')})`);
    expect(queues.find((q) => q.name === 'stage')!.description).toMatch(/^Pipeline stages of every dataset's partitions/);
    const job = fetchQueue.jobs.find((j) => j.id.includes('regsho'))!;
    expect(job.externalUrl).toEqual({ href: `/partitions/B/${NO_SECOND_KEY}/2025-01-10?dataset=regsho`, displayText: 'Reg SHO: B 2025-01-10 on the dashboard' });
  });
});

describe("Reg SHO's research pages", () => {
  const cellsOf = (row: string) => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
  const shares = (volume: string) => Number(volume).toLocaleString('en-US', { maximumFractionDigits: 0 });

  it('open from every research page: what is loaded, and the newest weeks', async () => {
    const landing = await page('/research/datasets/regsho');
    expect(landing.status).toBe(200);
    expect(landing.body).toContain('1 trade date loaded, 2025-01-10 to 2025-01-10, from Q (Nasdaq TRF Carteret).');
    expect(landing.body).toContain('<a href="/research/datasets/regsho/weeks/2025-01-10">week ending 2025-01-10</a>');
    expect(landing.body).toContain('action="/research/datasets/regsho/symbol"');
    for (const path of ['/research', '/research/datasets/regsho', '/research/datasets/regsho/weeks/2025-01-10']) {
      const nav = /<nav class="pager" id="research-datasets">([\s\S]*?)<\/nav>/.exec((await page(path)).body)?.[1] ?? '';
      expect([...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]), path).toEqual(['/research', '/research/datasets/regsho']);
    }
  });

  it("show a week's symbols and a symbol's days as the research API answers them, at a point in time too", async () => {
    const week = (await (await basicGet(`${dashboard.url}/api/v1/datasets/regsho/weeks/2025-01-10/research?page_size=1000`, ADMIN)).json()) as
      { data: { symbol: string; short_volume: string; total_volume: string }[] };
    expect(week.data.length).toBeGreaterThan(10);
    const weekPage = await page('/research/datasets/regsho/weeks/2025-01-10');
    expect(weekPage.status).toBe(200);
    expect([...weekPage.body.matchAll(/<tr data-symbol="([^"]+)">/g)].map((m) => m[1])).toEqual(week.data.map((r) => r.symbol));
    const first = week.data[0]!;
    const firstRow = new RegExp(`<tr data-symbol="${first.symbol.replace(/[.$+^]/g, '\\$&')}">([\\s\\S]*?)</tr>`).exec(weekPage.body)![1]!;
    expect(cellsOf(firstRow).slice(0, 4)).toEqual([first.symbol, '1', shares(first.short_volume), shares(first.total_volume)]);
    // No OTC week is loaded here: its columns are empty, not zero.
    expect(cellsOf(firstRow).slice(5)).toEqual(['', '', '', '']);

    const redirect = await basicGet(`${dashboard.url}/research/datasets/regsho/symbol?symbol=${encodeURIComponent(first.symbol.toLowerCase())}&from=2025-01-02&to=`, ADMIN, '127.0.0.1', 'manual');
    expect(redirect.status).toBe(303);
    const symbolPath = `/research/datasets/regsho/symbols/${encodeURIComponent(first.symbol)}`;
    expect(redirect.headers.get('location')).toBe(`${symbolPath}?from=2025-01-02`);
    const daily = (await (await basicGet(`${dashboard.url}/api/v1/datasets/regsho/symbols/${encodeURIComponent(first.symbol)}/daily`, ADMIN)).json()) as
      { data: { trade_date: string; short_volume: string; total_volume: string; short_ratio: number | null }[] };
    const symbolPage = await page(symbolPath);
    expect(symbolPage.status).toBe(200);
    expect(symbolPage.body).toContain('id="chart-short-volume" data-series="2"');
    expect(symbolPage.body).toContain('id="chart-short-ratio" data-series="2"');
    // Fewer trade dates are loaded than the default range holds: the note says all of them are shown.
    expect(symbolPage.body).toContain(`${daily.data.length} trade dates`);
    expect(symbolPage.body).toContain('(every one loaded; at most the newest 60 unless a range is asked)');
    const day = daily.data.at(-1)!;
    const dayRow = /<tr data-day="2025-01-10">([\s\S]*?)<\/tr>/.exec(symbolPage.body)![1]!;
    expect(cellsOf(dayRow)[0]).toBe('2025-01-10');
    expect([cellsOf(dayRow)[1], cellsOf(dayRow)[3], cellsOf(dayRow)[4]]).toEqual([shares(day.short_volume), shares(day.total_volume), (day.short_ratio! * 100).toFixed(2)]);
    expect(dayRow).toContain('href="/research/datasets/regsho/weeks/2025-01-10"');

    // The page's trade dates as a file, for the same question.
    expect(symbolPage.body).toContain(`href="${symbolPath}/download?format=csv"`);
    const csv = await basicGet(`${dashboard.url}${symbolPath}/download?format=csv&from=2025-01-02`, ADMIN);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${first.symbol}_regsho_symbol_daily.csv"`);
    const [header, line, ...rest] = (await csv.text()).trimEnd().split('\r\n');
    expect(header).toBe('trade_date,symbol,short_volume,short_exempt_volume,total_volume,short_ratio,short_exempt_share,market_codes,capture_ids,window_start,days_in_window,avg_short_ratio_20d');
    expect(rest).toEqual([]);
    expect(line!.split(',').slice(0, 6)).toEqual(['2025-01-10', first.symbol, day.short_volume, expect.any(String), day.total_volume, String(day.short_ratio)]);
    const parquet = await basicGet(`${dashboard.url}${symbolPath}/download?format=parquet`, ADMIN);
    expect(parquet.status).toBe(200);
    expect(Buffer.from(await parquet.arrayBuffer()).subarray(0, 4).toString()).toBe('PAR1');
    const badFormat = await basicGet(`${dashboard.url}${symbolPath}/download?format=xlsx`, ADMIN);
    expect(badFormat.status).toBe(400);
    expect((await badFormat.json() as { error: string }).error).toMatch(/^format: /);

    // Captured today: nothing was published by a date in 2025.
    const before = await page(`${symbolPath}?as_of_published=2025-01-11`);
    expect(before.status).toBe(404);
    expect(before.body).toContain('as FINRA had published it by 2025-01-11');
    expect((await page(`${symbolPath}?from=2025-13-01`)).status).toBe(400);
    expect((await page('/research/datasets/regsho/symbols/NOSUCH')).status).toBe(404);
    expect((await page('/research/datasets/regsho/weeks/2025-01-09')).status).toBe(404);
    expect((await basicGet(`${dashboard.url}/research/datasets/regsho/symbol?symbol=`, ADMIN, '127.0.0.1', 'manual')).status).toBe(400);
  });
});
