import { afterAll, describe, expect, it } from 'vitest';
import { createPool, runStage, type StageDefinition, type StageTimeouts } from '@spine/platform';
import { testDatabaseUrl } from '../support/database.ts';
import { stageCapture } from '../support/stage-capture.ts';

// One connection: the stage's, so what is set after the stage is what its transaction left on it.
const pool = createPool(testDatabaseUrl(), 1);
afterAll(() => pool.end());
/** The stage's settings that differ on the connection from what RESET would give it (its configured value). */
const CHANGED = `SELECT name, setting, reset_val FROM pg_settings
  WHERE name IN ('synchronous_commit', 'work_mem', 'statement_timeout', 'lock_timeout') AND setting IS DISTINCT FROM reset_val`;

interface Seen { synchronous_commit: string; work_mem: string; statement_timeout: string; lock_timeout: string; now: Date; capturedAt: string }

/** Runs a stage that reads its transaction's settings and start time; returns them, and what the stage left changed. */
async function settingsOfStage(timeouts?: StageTimeouts): Promise<{ seen: Seen; left: unknown[] }> {
  const { tier, batchId, root, key } = await stageCapture(pool, 'SET');
  let seen: Seen | undefined;
  const stage: StageDefinition = {
    name: 'normalize',
    lockNames: () => [`test:${tier}:2025-12-05`],
    run: async (client, ctx) => {
      // Later in the transaction than the runner's own statements, so now() would differ if it were not the start.
      await client.query('SELECT pg_sleep(0.02)');
      const { rows } = await client.query<Omit<Seen, 'capturedAt'>>(`SELECT current_setting('synchronous_commit') AS synchronous_commit,
        current_setting('work_mem') AS work_mem, current_setting('statement_timeout') AS statement_timeout, current_setting('lock_timeout') AS lock_timeout, now()`);
      seen = { ...rows[0]!, capturedAt: ctx.capturedAt };
      return { status: 'completed', rowCount: 0, metrics: {} };
    },
  };
  await runStage(pool, { key, stage, pipeline: 'test', batchId, parent: root, force: false, jobId: `test-${tier}-normalize`, ...(timeouts ? { timeouts } : {}) });
  return { seen: seen!, left: (await pool.query(CHANGED)).rows };
}

describe('runStage', () => {
  it('runs the stage without waiting for the WAL flush, with 64 MB to sort in, stamped with its transaction start', async () => {
    const { seen, left } = await settingsOfStage();
    expect(seen).toMatchObject({ synchronous_commit: 'off', work_mem: '64MB', statement_timeout: '0', lock_timeout: '0' });
    expect(left).toEqual([]);
    expect(seen.capturedAt).toBe(seen.now.toISOString());
  });

  it('holds the stage to its statement and lock timeouts, for that transaction only', async () => {
    const { seen, left } = await settingsOfStage({ statementMs: 123_456, lockMs: 7_890 });
    expect(seen).toMatchObject({ synchronous_commit: 'off', work_mem: '64MB', statement_timeout: '123456ms', lock_timeout: '7890ms' });
    expect(left).toEqual([]);
  });
});
