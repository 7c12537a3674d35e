import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { spawnWorker } from '@spine/cli/spawn-spine';
import { TestCluster } from '../support/cluster.ts';
import { createRunDatabase } from '../support/global-setup.ts';
import { runSpine } from '../support/spine-cli.ts';

const cluster = new TestCluster();
const started = cluster.start();
afterAll(() => cluster.stop());

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("a worker's calculation specs at start-up", () => {
  it('checks them against the graph and syncs them into core_calc_versions, then refuses a graph they disagree with', async () => {
    await started;
    const database = await createRunDatabase('spine_calc_specs', { migrate: true });
    try {
      const env = { ...process.env, ...cluster.env, DATABASE_URL: database.url };
      const worker = await spawnWorker(env, ['--queues', 'stage']);
      try {
        await expect.poll(() => worker.output(), { timeout: 15_000 }).toContain('calculation specs checked against the graph and synced');
      } finally {
        await worker.stop();
      }
      const { rows } = await query(database.url, `SELECT calc_name, major FROM core_calc_versions WHERE calc_name = 'otc_symbol_concentration' ORDER BY major`);
      expect(rows).toEqual([{ calc_name: 'otc_symbol_concentration', major: 1 }, { calc_name: 'otc_symbol_concentration', major: 2 }]);

      await query(database.url, `UPDATE core_calc_dependencies SET stage = 'rolling' WHERE domain = 'otc' AND calc_name = 'otc_liquidity_score'`);
      const refused = await runSpine(['worker', '--queues', 'stage', '--health-port', '0'], { ...cluster.env, DATABASE_URL: database.url });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("calculation specs and the database's calculation graph disagree (run spine db migrate, or fix the specs):\n" +
        '  otc_liquidity_score: runs in stage aggregate by its spec, rolling by the graph');
    } finally {
      await database.drop();
    }
  });
});
