import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runWeek } from '@spine/otc';
import type { Pool } from '@spine/platform';
import type { ExportedFileBase } from '@spine/platform/research/research-module';
import { expect } from 'vitest';
import { resetData } from '../support/database.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE, loadGolden } from '../support/golden.ts';

/** The week revised in these tests: NMS Tier 1, 2025-11-21, first published 2025-12-08 (lastUpdateDate). */
export const REVISED_WEEK = '2025-11-21';
export const REVISION_PUBLISHED = '2025-12-29';

/** The golden weeks, and the OTC week 2025-12-05 of non-ATS volume too (so that it has an ATS share). */
export async function loadResearchData(pool: Pool): Promise<void> {
  await loadGolden(pool);
  await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', venueType: 'NON_ATS', file: join(GOLDEN_DIR, 'OTC', 'NON_ATS', '2025-12-05.psv'), maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
}

/**
 * FINRA's revision of the revised week, published 2025-12-29: AAPL at UBSA with new figures, and a new symbol at a
 * venue the week had already (so the venue count, and the week-over-week checks of the next week, stay as they were).
 */
export async function loadRevision(pool: Pool): Promise<{ captureId: string; revision: number }> {
  const file = join(mkdtempSync(join(tmpdir(), 'spine-research-')), `${REVISED_WEEK}.psv`);
  copyFileSync(join(GOLDEN_DIR, 'NMS_TIER_1', `${REVISED_WEEK}.psv`), file);
  const revised = readFileSync(file, 'utf8')
    .replace('NMS Tier 1|AAPL|Apple Inc. Common Stock|UBS ATS|UBSA|1250000|8200|2025-12-08', `NMS Tier 1|AAPL|Apple Inc. Common Stock|UBS ATS|UBSA|1400000|9100|${REVISION_PUBLISHED}`)
    .concat(`NMS Tier 1|NEWCO|New Co Inc|UBS ATS|UBSA|12345|6|${REVISION_PUBLISHED}\n`);
  writeFileSync(file, revised);
  const result = await runWeek(pool, { tier: 'NMS_TIER_1', weekEnding: REVISED_WEEK, file, maxRejectShare: GOLDEN_MAX_REJECT_SHARE });
  return { captureId: result.captureId, revision: result.revision };
}

/** An emptied database with the research data and then the revision: the revised week's first capture and its revision. */
export async function loadRevisedResearchData(pool: Pool): Promise<{ firstCapture: string; revisedCapture: string }> {
  await resetData(pool);
  await loadResearchData(pool);
  const firstCapture = (await pool.query<{ capture_id: string }>(`SELECT capture_id FROM core_captures WHERE key_1 = 'NMS_TIER_1' AND period_end = $1`, [REVISED_WEEK])).rows[0]!.capture_id;
  return { firstCapture, revisedCapture: (await loadRevision(pool)).captureId };
}

/** Rows read back by DuckDB (an independent Parquet and CSV reader), Hive partitions as columns, numbers as JS numbers. */
export async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A directory path that does not exist yet, for an export's --out, under a temporary directory listed in `scratch`. */
export function exportOutDir(scratch: string[], prefix: string): string {
  const parent = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(parent);
  return join(parent, 'out');
}

/**
 * Every file an export's manifest lists, under `out`: its bytes and SHA-256 as the manifest says, and with `rows` the
 * rows DuckDB reads from each Parquet file.
 */
export async function expectManifestFiles(out: string, files: readonly ExportedFileBase[], options: { rows: boolean }): Promise<void> {
  for (const file of files) {
    const bytes = readFileSync(join(out, file.path));
    expect(createHash('sha256').update(bytes).digest('hex'), file.path).toBe(file.sha256);
    expect(bytes.length, file.path).toBe(file.bytes);
    if (!options.rows) continue;
    const [{ n }] = (await duckRows(`SELECT count(*) AS n FROM read_parquet('${join(out, file.path)}')`)) as [{ n: number }];
    expect(n, file.path).toBe(file.rows);
  }
}

