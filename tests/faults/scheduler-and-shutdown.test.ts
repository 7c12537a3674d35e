import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createPool } from '@spine/platform';
import { useFaultStack } from './support/fault-stack.ts';
import { allWeeks, fetchFinraWeeks, loadReference, writeFaultDataset, type WeekRef } from './support/fault-dataset.ts';
import { outcome, sleep } from './support/outcome.ts';
import { diffTables, halfWrittenRows } from './support/table-diff.ts';
import { waitForRunning } from './support/stage-watch.ts';
import { recordFault } from './support/reliability-report.ts';

const stack = useFaultStack();

/** The last eight OTC Fridays before today: the weeks a scheduler with a short lookback finds due. */
function recentOtcWeeks(): WeekRef[] {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 2) % 7)); // back to the last Friday
  return Array.from({ length: 8 }, (_, i) => ({ tier: 'OTC' as const, week_ending: new Date(d.getTime() - i * 7 * 86_400_000).toISOString().slice(0, 10) }));
}

describe('two scheduler replicas', () => {
  it('the leader SIGKILLed after its tick enqueued: the other takes the lease, and the scheduled weeks load once', async () => {
    // Only OTC ATS is scheduled, 3 weeks back; the stand-in publishes the recent weeks (synthetic ATS files; each
    // venue type has a schedule of its own, and the non-ATS one would wait for files the stand-in does not have).
    const weeks = recentOtcWeeks();
    await writeFaultDataset(stack.fixturesDir, weeks);
    await stack.pool.query(`UPDATE core_expected_schedules SET enabled = (key_1 = 'OTC' AND key_2 = 'ATS'), lookback_weeks = 3, revision_lookback_weeks = 0, source = 'finra'`);
    const env = { SCHEDULER_CRON: '*/2 * * * * *', SCHEDULER_LEASE_TTL_MS: '3000' };
    await stack.spawnWorker();
    const a = await stack.spawnScheduler(env);
    const b = await stack.spawnScheduler(env);
    const redis = new Redis(stack.redis.url);
    const key = `${stack.prefix}:scheduler:leader`;
    const holder = (c: typeof a) => /"holder":"([0-9a-f-]+)"/.exec(c.output())?.[1] ?? 'none';
    try {
      // The leader's first tick enqueues the due weeks as one scheduled batch.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && Number((await stack.pool.query(`SELECT count(*) AS n FROM core_batches`)).rows[0].n) === 0) await sleep(100);
      const leaderValue = (await redis.get(key)) ?? '';
      const leader = leaderValue.startsWith(holder(a)) ? a : b;
      const follower = leader === a ? b : a;
      const killedAt = Date.now();
      await leader.stop('SIGKILL');
      let failoverMs: number | null = null;
      while (Date.now() < killedAt + 15_000) {
        if ((await redis.get(key))?.startsWith(holder(follower))) {
          failoverMs = Date.now() - killedAt;
          break;
        }
        await sleep(100);
      }
      await stack.waitForBatchesClosed(120_000);
      // Let the new leader tick a few more times: it must find the weeks done and enqueue nothing more.
      await sleep(4000);
      const { rows: loaded } = await stack.pool.query<WeekRef>(
        `SELECT DISTINCT key_1 AS tier, to_char(period_end, 'YYYY-MM-DD') AS week_ending FROM core_executions WHERE stage = 'week' AND status = 'completed'`,
      );
      const expected = createPool(await stack.postgres.createDatabase(`${stack.database}_sched`, 'faults_template'), 2);
      try {
        // The scheduled weeks came from FINRA (the stand-in): the reference is the same weeks as the FINRA client writes them.
        const finraDir = mkdtempSync(join(stack.ctx.workDir, 'finra-sched-'));
        await fetchFinraWeeks({ ...stack.env, FINRA_REQUESTS_PER_SECOND: '1000' }, finraDir, loaded);
        await loadReference(expected, finraDir, loaded);
        const diff = await diffTables(stack.pool, expected);
        const { rows: claims } = await stack.pool.query(`SELECT key_1 AS tier, key_2 AS venue_type, period_end AS week_ending, count(*)::int AS n FROM core_executions WHERE stage = 'week' GROUP BY 1, 2, 3 HAVING count(*) > 1`);
        const { rows: batches } = await stack.pool.query(`SELECT status FROM core_batches`);
        recordFault(stack.ctx.resultsFile, {
          scenario: '6a', fault: 'two scheduler replicas, the leader SIGKILLed after enqueueing', injected: 1,
          recovered: failoverMs !== null && batches.every((r) => r.status === 'completed') ? 1 : 0,
          rowsLost: diff.lost, rowsDuplicated: diff.duplicated, recoverMs: failoverMs,
          notes: `lease TTL 3 s, tick every 2 s; time is until the other replica held the lease; ${loaded.length} scheduled weeks loaded, ${batches.length} batch(es), weeks claimed twice: ${claims.length}`,
        });
        expect(failoverMs).not.toBeNull();
        expect(loaded.length).toBeGreaterThan(0);
        expect(claims).toEqual([]);
        expect(batches.every((r) => r.status === 'completed')).toBe(true);
        expect({ lost: diff.lost, duplicated: diff.duplicated }).toEqual({ lost: 0, duplicated: 0 });
      } finally {
        await expected.end();
        await stack.postgres.dropDatabase(`${stack.database}_sched`);
      }
    } finally {
      await redis.quit();
      await stack.pool.query(`UPDATE core_expected_schedules SET enabled = false`);
    }
  });
});

describe('SIGTERM during a stage', () => {
  it('drains (the stage finishes) or, past WORKER_SHUTDOWN_MS, hands the job back: never half-written', async () => {
    const points = [
      { stage: 'ingest', shutdownMs: '5000', what: 'drained' },
      { stage: 'aggregate', shutdownMs: '0', what: 'handed back' },
      { stage: 'rolling', shutdownMs: '0', what: 'handed back' },
    ];
    // The spare serves fetch only: every stage runs on a point's own worker, so each point's stage is sure to come
    // its way (an 18-week backfill takes seconds; a spare serving stages would run the rolling windows on its own).
    const spare = await stack.spawnWorker({ WORKER_QUEUES: 'fetch' });
    await stack.enqueue({ kind: 'backfill', weeks: allWeeks(), source: `dir:${join(stack.ctx.datasetDir)}` });
    const results: string[] = [];
    let since = new Date(0);
    let exitsClean = 0;
    let recoverMs = 0;
    // A worker of its own for each point, so the SIGTERM hits the one running the stage; the next point's worker
    // starts as the current one is signalled, so the stages wait for it as little as possible.
    let next = stack.spawnWorker({ WORKER_SHUTDOWN_MS: points[0]!.shutdownMs });
    for (const [i, p] of points.entries()) {
      const victim = await next;
      const hit = await waitForRunning(stack.pool, p.stage, { since, timeoutMs: 60_000, exclude: (e) => e.pid !== victim.proc.pid });
      const following = points[i + 1];
      if (following) next = stack.spawnWorker({ WORKER_SHUTDOWN_MS: following.shutdownMs });
      if (!hit) {
        results.push(`${p.stage}: not reached`);
        await victim.stop('SIGKILL');
        continue;
      }
      since = hit.started_at;
      const signalled = Date.now();
      const code = await victim.stop('SIGTERM');
      recoverMs = Math.max(recoverMs, Date.now() - signalled);
      if (code === 0) exitsClean++;
      const { rows: [e] } = await stack.pool.query(`SELECT status FROM core_executions WHERE execution_id = $1`, [hit.execution_id]);
      results.push(`${p.stage} (WORKER_SHUTDOWN_MS ${p.shutdownMs}): exit ${code}, stage ${e.status}`);
    }
    // The points' workers are gone: one more finishes the backfill (and the jobs they handed back).
    await stack.spawnWorker();
    await stack.waitForBatchesClosed(120_000);
    const result = await outcome(stack.pool, stack.reference);
    recordFault(stack.ctx.resultsFile, {
      scenario: '6b', fault: 'SIGTERM of the worker running a stage (drain 5 s; drain 0 s = hand back)', injected: results.filter((r) => !r.endsWith('not reached')).length,
      recovered: result.open.length === 0 && result.batches.every((b) => b === 'completed') ? exitsClean : 0,
      rowsLost: result.lost, rowsDuplicated: result.duplicated, recoverMs,
      notes: `${results.join('; ')}; time is until the signalled worker exited; half-written rows ${await halfWrittenRows(stack.pool)}`,
    });
    expect(spare.proc.exitCode).toBeNull();
    expect(results.filter((r) => r.endsWith('not reached'))).toEqual([]);
    expect(exitsClean).toBe(points.length);
    expect(result).toEqual({ lost: 0, duplicated: 0, halfWritten: 0, open: [], batches: ['completed'] });
  });
});
