import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceAccess } from '@spine/finra-source';
import { openOtcSource } from '@spine/otc/source/otc-source';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';

const REAL_FILE = fileURLToPath(new URL('../../../shared/finra/finra_otc_weekly_otc_20251215.csv', import.meta.url));
const present = existsSync(REAL_FILE);
if (!present) console.warn(`skipping the real FINRA file API test: ${REAL_FILE} is absent (it lives in ../shared, beside the repo)`);

/** The file is the week ending 2025-12-12 (its lastUpdateDate 2025-12-15 is the publication Monday). */
const WEEK = { key1: 'OTC', periodEnd: '2025-12-12', key2: 'ATS' } as const;
const TODAY = '2026-01-05';

describe.skipIf(!present)('the real FINRA OTC file through the Query API path, short pages forced', () => {
  const pool = testPool();
  let dir: string;
  let standIn: FinraStandIn;

  beforeAll(async () => {
    await resetData(pool);
    dir = mkdtempSync(path.join(tmpdir(), 'spine-real-api-'));
    mkdirSync(path.join(dir, 'OTC'));
    copyFileSync(REAL_FILE, path.join(dir, 'OTC', `${WEEK.periodEnd}.psv`));
    // 200 kB pages: FINRA's 3 MB cut scaled to this 1.8 MB week, so the client must page past short pages.
    standIn = await startFinraStandIn({ fixturesDir: dir, maxPayloadBytes: 200_000, today: () => TODAY, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
    await pool.end();
  });

  it('loads every line of the file with the default client settings', async () => {
    const source = openOtcSource(sourceAccess('finra', { finraApi: { baseUrl: standIn.url, now: () => new Date(`${TODAY}T12:00:00Z`) } }));
    const { body } = await source.open(WEEK);
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
    const apiFile = path.join(dir, 'from-api.psv');
    writeFileSync(apiFile, Buffer.concat(chunks));

    const pages = standIn.requests();
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.every((p) => p.rows! < 5000 && p.total === 5328)).toBe(true);
    expect(pages.reduce((sum, p) => sum + p.rows!, 0)).toBe(5328);

    const result = await runWeek(pool, { tier: WEEK.key1, venueType: WEEK.key2, weekEnding: WEEK.periodEnd, file: apiFile, maxRejectShare: 0.05 });
    expect(result.status).toBe('completed');
    expect((await count(pool, 'SELECT 1 FROM otc_raw')) + (await count(pool, 'SELECT 1 FROM core_rejects'))).toBe(5328);

    // Computed from the file itself, not from anything the client or the stand-in produced.
    const lines = readFileSync(REAL_FILE, 'utf8').trim().split('\n').slice(1).map((line) => line.split('|'));
    const volume = new Map<string, bigint>();
    const trades = new Map<string, bigint>();
    for (const f of lines) {
      volume.set(f[1]!, (volume.get(f[1]!) ?? 0n) + BigInt(f[5]!));
      trades.set(f[1]!, (trades.get(f[1]!) ?? 0n) + BigInt(f[6]!));
    }
    const { rows } = await pool.query<{ symbol: string; total_volume: string; total_trades: string }>('SELECT symbol, total_volume, total_trades FROM otc_symbol_summary');
    expect(rows).toHaveLength(volume.size);
    for (const r of rows) {
      expect(BigInt(r.total_volume), r.symbol).toBe(volume.get(r.symbol));
      expect(BigInt(r.total_trades), r.symbol).toBe(trades.get(r.symbol));
    }
    expect(await count(pool, 'SELECT DISTINCT mpid FROM otc_venue_volume')).toBe(new Set(lines.map((f) => f[4])).size);
    expect(await count(pool, 'SELECT 1 FROM otc_venue_volume')).toBe(lines.length);
  });
});
