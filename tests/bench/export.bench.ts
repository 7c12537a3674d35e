/**
 * bench:export — `spine export`'s exporter on generated weeks: BENCH_WEEKS (21) x 3 tiers x BENCH_VENUE_TYPES (ATS)
 * of BENCH_ROWS lines (32,000; 21 x 3 x 32,000 is 2,016,000 venue rows), loaded in-process into a database of its own.
 * Exports venue_volume to Parquet and to CSV, and a third of the weeks to Parquet: rows/s, bytes, and the peak RSS
 * (sampled at every batch), which stays flat when the rows exported triple. BENCH_DATABASE_URL reuses a loaded database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addWeeks, createPool, weekEndingsBetween } from '@spine/platform';
import type { VenueType } from '@spine/otc';
import { exportTables } from '@spine/otc/research/export';
import { exportRequest } from '@spine/otc/research/request-schemas';
import { benchDatabase } from './bench-database.ts';
import { loadGeneratedHistory } from './generated-history.ts';

const WEEKS = Number(process.env.BENCH_WEEKS ?? 21);
const ROWS = Number(process.env.BENCH_ROWS ?? 32_000);
const VENUE_TYPES = (process.env.BENCH_VENUE_TYPES ?? 'ATS').split(',') as VenueType[];
const LAST_WEEK = '2025-12-05';
const weeks = weekEndingsBetween(addWeeks(LAST_WEEK, -(WEEKS - 1)), LAST_WEEK);

const reused = process.env.BENCH_DATABASE_URL;
const db = reused ? { url: reused, drop: async () => {} } : await benchDatabase('export');
const pool = createPool(db.url, 2);
const dir = await mkdtemp(join(tmpdir(), 'spine-bench-export-'));
try {
  const loadStarted = performance.now();
  if (!reused) await loadGeneratedHistory(pool, dir, { weeks, rows: ROWS, venueTypes: VENUE_TYPES });
  console.log(`bench:export — ${weeks.length} weeks x 3 tiers x ${VENUE_TYPES.join('+')} of ${ROWS.toLocaleString('en-US')} rows` +
    `${reused ? '' : `, loaded in ${Math.round((performance.now() - loadStarted) / 1000)} s`}`);
  const runs = [['parquet', weeks[Math.floor((weeks.length * 2) / 3)]!], ['parquet', weeks[0]!], ['csv', weeks[0]!]] as const;
  for (const [i, [format, from]] of runs.entries()) {
    const request = exportRequest.parse({ dataset: 'otc', tables: 'venue_volume', from, to: LAST_WEEK, format, out: join(dir, `out-${i}`) });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const started = performance.now();
    const manifest = await exportTables(pool, request, () => { peak = Math.max(peak, process.memoryUsage().rss); });
    const seconds = (performance.now() - started) / 1000;
    const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    console.log(`  ${format}, ${manifest.files.length} files: ${manifest.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s ` +
      `(${Math.round(manifest.rows / seconds).toLocaleString('en-US')} rows/s), ${(bytes / 1e6).toFixed(1)} MB, RSS ${Math.round(before / 1e6)} MB before, ${Math.round(peak / 1e6)} MB at peak`);
  }
} finally {
  await pool.end();
  await rm(dir, { recursive: true, force: true });
  await db.drop();
}
