import { createPool, runMigrations } from '@spine/platform';
import { migrationsDir } from '@spine/migrations';
import { runWeek } from '@spine/otc';
import { writeWeekFile } from '@spine/otc/synthetic/week-generator';
import pg from 'pg';
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' }); await c.connect();
await c.query('DROP DATABASE IF EXISTS scratch2 WITH (FORCE)'); await c.query('CREATE DATABASE scratch2'); await c.end();
const url = 'postgres://postgres@127.0.0.1:5432/scratch2';
await runMigrations({ databaseUrl: url, dir: migrationsDir });
const pool = createPool(url, 4);
for (const venueType of ['ATS', 'NON_ATS'] as const) {
  const file = `/tmp/otc40-${venueType}.psv`;
  await writeWeekFile(file, { tier: 'OTC', weekEnding: '2025-12-05', rows: 40000, seed: venueType === 'ATS' ? 52 : 53, rejectRate: 0.001, venueType });
  const r = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', venueType, file, maxRejectShare: 0.05 });
  console.log(venueType, r.stages.map((s) => `${s.stage} ${s.durationMs} ${JSON.stringify(Object.fromEntries(Object.entries(s.metrics).map(([k, v]) => [k, (v as any)?.ms])))}`).join('\n'));
}
await pool.end();
