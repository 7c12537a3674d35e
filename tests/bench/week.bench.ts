/**
 * bench:week: a 200,000-row synthetic week, loaded twice: a bare COPY of the file into an unlogged table (the
 * floor any loader pays), and the full in-process stage chain. Prints both times, their ratio and peak RSS.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { createPool } from '@spine/platform';
import { runWeek } from '@spine/otc';
import { writeWeekFile } from '@spine/otc/synthetic/week-generator';
import { benchDatabase } from './bench-database.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const TIER = 'NMS_TIER_1';
const WEEK = '2025-12-05';

const db = await benchDatabase('week');
const dir = await mkdtemp(join(tmpdir(), 'spine-bench-'));
const pool = createPool(db.url, 4);
try {
  const file = join(dir, 'week.psv');
  await writeWeekFile(file, { tier: TIER, weekEnding: WEEK, rows: ROWS, seed: 20251205, rejectRate: 0 });
  const bytes = (await stat(file)).size;

  await pool.query(`CREATE UNLOGGED TABLE bench_bare_copy (tier_description text, symbol text, issue_name text, participant text,
    mpid text, shares text, trades text, last_update text)`);
  const copyTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    await pool.query('TRUNCATE bench_bare_copy');
    const client = await pool.connect();
    const started = performance.now();
    await pipeline(createReadStream(file), client.query(copyFrom(`COPY bench_bare_copy FROM STDIN (FORMAT text, DELIMITER '|', HEADER true)`)));
    copyTimes.push(performance.now() - started);
    client.release();
  }
  const copyMs = Math.min(...copyTimes);

  const started = performance.now();
  const result = await runWeek(pool, { tier: TIER, weekEnding: WEEK, file, maxRejectShare: 0.05 });
  const chainMs = performance.now() - started;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const row = (k: string, v: string) => console.log(`${k.padEnd(26)} ${v}`);
  console.log(`bench:week — ${ROWS.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB, ${TIER} ${WEEK}`);
  row('bare COPY (best of 3)', `${copyMs.toFixed(0)} ms  (${copyTimes.map((t) => t.toFixed(0)).join(', ')})`);
  row('full stage chain', `${chainMs.toFixed(0)} ms  (${result.status})`);
  for (const s of result.stages) {
    row(`  ${s.stage}`, `${s.durationMs} ms, ${s.rowCount} rows`);
    for (const [calc, m] of Object.entries(s.metrics)) {
      if (typeof m === "object" && m !== null && "ms" in m) row(`    ${calc}`, `${(m as { ms: number }).ms} ms`);
    }
  }
  row('chain / COPY', `${(chainMs / copyMs).toFixed(2)}  (target <= 4)`);
  row('rows/s through the chain', `${Math.round(ROWS / (chainMs / 1000)).toLocaleString('en-US')}`);
  row('peak RSS', `${peakRssMb.toFixed(0)} MB  (target < 300 MB)`);
} finally {
  await pool.end();
  await rm(dir, { recursive: true, force: true });
  await db.drop();
}
