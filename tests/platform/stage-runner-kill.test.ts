import { afterAll, describe, expect, it } from 'vitest';
import { abandonRunningExecutions, runStage, type Pool, type StageDefinition } from '@spine/platform';
import { testPool } from '../support/database.ts';
import { stageCapture } from '../support/stage-capture.ts';

const pool = testPool();
afterAll(() => pool.end());

/**
 * The pool as a worker SIGKILLed right after a stage's COMMIT sees it: the commit reached PostgreSQL, but nothing the
 * process would have sent afterwards does.
 */
function diesAfterCommit(real: Pool): Pool {
  let dead = false;
  const killed = () => Promise.reject(new Error('worker killed'));
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'query') return (...args: Parameters<Pool['query']>) => (dead ? killed() : (target.query as (...a: unknown[]) => unknown)(...args));
      if (prop === 'connect') {
        return async () => {
          if (dead) return killed();
          const client = await target.connect();
          return new Proxy(client, {
            get(c, p) {
              if (p === 'query') {
                return async (...args: unknown[]) => {
                  if (dead) return killed();
                  const result = await (c.query as (...a: unknown[]) => Promise<unknown>)(...args);
                  if (args[0] === 'COMMIT') dead = true;
                  return result;
                };
              }
              const value = Reflect.get(c, p) as unknown;
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(c) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('runStage killed right after its commit', () => {
  it('leaves the execution its rows and manifest entry name completed, so a takeover neither abandons it nor leaves it failed', async () => {
    const { tier, batchId, root, key } = await stageCapture(pool, 'KILL');
    const stage: StageDefinition = { name: 'normalize', lockNames: () => [`test:${tier}:2025-12-05`], run: async () => ({ status: 'completed', rowCount: 7, metrics: {} }) };
    const jobId = `test-${tier}-normalize`;
    const request = { key, stage, pipeline: 'test', batchId, parent: root, force: false, jobId };

    // Whatever the process would have sent after its commit is lost (the call may fail or not: nothing is left to send).
    await runStage(diesAfterCommit(pool), request).catch((error: Error) => expect(error.message).toMatch(/worker killed/));
    // Another worker takes the job over: the dead attempt's running executions are abandoned, the stage runs again.
    await abandonRunningExecutions(pool, jobId);
    const retry = await runStage(pool, { ...request, attempt: 2 });
    expect(retry.status).toBe('skipped');

    const { rows } = await pool.query<{ status: string; row_count: number; finished: boolean }>(
      `SELECT e.status, m.row_count::int AS row_count, e.finished_at IS NOT NULL AS finished FROM core_manifest m JOIN core_executions e USING (execution_id)
        WHERE m.key_1 = $1 AND m.stage = 'normalize'`,
      [tier],
    );
    expect(rows).toEqual([{ status: 'completed', row_count: 7, finished: true }]);
    const { rows: executions } = await pool.query(`SELECT status, attempt FROM core_executions WHERE job_id = $1 ORDER BY attempt`, [jobId]);
    expect(executions).toEqual([{ status: 'completed', attempt: 1 }, { status: 'skipped', attempt: 2 }]);
  });
});
