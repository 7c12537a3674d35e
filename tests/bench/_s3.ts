import { createPool, runMigrations, addWeeks } from '@spine/platform';
import { migrationsDir } from '@spine/migrations';
import { runWeek } from '@spine/otc';
import { writeWeekFile } from '@spine/otc/synthetic/week-generator';
import pg from 'pg';
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' }); await c.connect();
await c.query('DROP DATABASE IF EXISTS scratch6 WITH (FORCE)'); await c.query('CREATE DATABASE scratch6'); await c.end();
const url = 'postgres://postgres@127.0.0.1:5432/scratch6';
await runMigrations({ databaseUrl: url, dir: migrationsDir });
const pool = createPool(url, 4);
for (let i = 5; i >= 0; i--) {
  const week = addWeeks('2025-12-05', -i);
  const file = `/tmp/otc40-${week}.psv`;
  await writeWeekFile(file, { tier: 'OTC', weekEnding: week, rows: 40000, seed: 52, rejectRate: 0.001 });
  const r = await runWeek(pool, { tier: 'OTC', weekEnding: week, file, maxRejectShare: 0.05 });
  console.log(week, r.stages.map((s) => `${s.stage} ${s.durationMs}`).join(', '));
}
await pool.end();
