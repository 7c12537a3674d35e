import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@spine/otc-synthetic';
import { resetData } from '../support/database.ts';
import type { SpineChild } from '@spine/cli/spawn-spine';
import { useFaultStack } from './support/fault-stack.ts';
import { allWeeks, FAULT_SEED } from './support/fault-dataset.ts';
import { diffTables, halfWrittenRows, openBatches } from './support/table-diff.ts';
import { jobsRunningOn, recoveredAt, waitForRunning, type RunningExecution } from './support/stage-watch.ts';
import { recordFault } from './support/reliability-report.ts';

const STAGES = ['fetch', 'ingest', 'normalize', 'aggregate', 'rolling', 'snapshot'] as const;
// Backfills are repeated until every stage was hit this many times (at most MAX_ROUNDS): 4 x 6 = 24 points.
const HITS_PER_STAGE = 4;
const MAX_ROUNDS = 4;
// Kills tried per stage in one backfill: two rounds of 12 when every point lands. Rolling and snapshot of a tier run
// in one window job, which may stall MAX_STALLS_PER_JOB times: 3 tiers allow 6 window kills a round.
const KILLS_PER_STAGE_PER_ROUND = 2;
// BullMQ fails a job that stalls more than maxStalledCount (2 in the worker) times: a point that would stall a job a
// third time is moved to another occurrence, because that outcome (a final failure) is not the one under test here.
const MAX_STALLS_PER_JOB = 2;

const stack = useFaultStack();

interface Kill {
  round: number;
  stage: string;
  delayMs: number;
  hit?: RunningExecution;
  killedAt?: Date;
  stillRunning?: boolean;
  recoverMs?: number;
  recovered?: boolean;
}

describe('SIGKILL of a worker', () => {
  it(`at ${HITS_PER_STAGE * STAGES.length} or more seeded points across every stage: the backfill finishes with the tables of an undisturbed run`, async () => {
    const rng = mulberry32(FAULT_SEED);
    const kills: Kill[] = [];
    const rounds: { lost: number; duplicated: number; halfWritten: number; open: string[] }[] = [];
    const hits = (stage: string) => kills.filter((k) => k.hit && k.stage === stage).length;
    for (let round = 0; round < MAX_ROUNDS && STAGES.some((s) => hits(s) < HITS_PER_STAGE); round++) {
      await resetData(stack.pool);
      const workers: SpineChild[] = [await stack.spawnWorker(), await stack.spawnWorker()];
      const stalls = new Map<string, number>();
      const replacements: Promise<void>[] = [];
      const batch = await stack.enqueue({ kind: 'backfill', weeks: allWeeks(), source: `dir:${stack.ctx.datasetDir}` });
      let since = new Date(0);
      // KILLS_PER_STAGE_PER_ROUND kills per stage, in pipeline order (a stage already behind the backfill would never
      // show up); which occurrence and how long after it started come from the seeded PRNG.
      for (const stage of STAGES.flatMap((s) => Array<string>(KILLS_PER_STAGE_PER_ROUND).fill(s))) {
        const kill: Kill = { round, stage, delayMs: Math.floor(rng() * 40) };
        const skip = Math.floor(rng() * 2);
        if (hits(stage) >= HITS_PER_STAGE) continue;
        kills.push(kill);
        const hit = await waitForRunning(stack.pool, stage, {
          since, skip, timeoutMs: 30_000, batchId: batch.batch_id!,
          exclude: (e) => (stalls.get(e.job_id) ?? 0) >= MAX_STALLS_PER_JOB || !workers.some((w) => w.proc.pid === e.pid),
        });
        if (process.env.FAULTS_DEBUG) console.log(new Date().toISOString(), 'wait', round, stage, hit?.job_id);
        if (!hit) continue;
        await new Promise((r) => setTimeout(r, kill.delayMs));
        const victim = workers.find((w) => w.proc.pid === hit.pid)!;
        const stalled = await jobsRunningOn(stack.pool, hit.pid);
        if (stalled.some((j) => (stalls.get(j) ?? 0) >= MAX_STALLS_PER_JOB)) continue;
        kill.killedAt = new Date();
        await victim.stop('SIGKILL');
        for (const j of new Set([...stalled, hit.job_id])) stalls.set(j, (stalls.get(j) ?? 0) + 1);
        kill.hit = hit;
        const state = await stack.pool.query(`SELECT status FROM core_executions WHERE execution_id = $1`, [hit.execution_id]);
        kill.stillRunning = state.rows[0]?.status === 'running';
        if (process.env.FAULTS_DEBUG) console.log(new Date().toISOString(), 'killed', round, stage, hit.job_id, kill.stillRunning);
        // The replacement starts in the background: the backfill (seconds long) moves on meanwhile, so the later
        // stages are still ahead when the next point is waited for (on the other worker, or the replacement).
        workers.splice(workers.indexOf(victim), 1);
        replacements.push(stack.spawnWorker().then((w) => void workers.push(w)));
        since = hit.started_at;
      }
      await Promise.all(replacements);
      await stack.waitForBatchesClosed(120_000);
      if (process.env.FAULTS_DEBUG) console.log(new Date().toISOString(), 'round done', round);
      const status = (await stack.pool.query(`SELECT status FROM core_batches WHERE batch_id = $1`, [batch.batch_id])).rows[0]?.status;
      expect(status).toBe('completed');
      for (const k of kills.filter((k) => k.round === round && k.hit)) {
        const at = await recoveredAt(stack.pool, k.hit!, k.killedAt!);
        if (at) k.recoverMs = at.getTime() - k.killedAt!.getTime();
        // A kill that landed just after the stage committed leaves nothing to redo: the stage's own row is complete.
        const own = await stack.pool.query(`SELECT status FROM core_executions WHERE execution_id = $1`, [k.hit!.execution_id]);
        k.recovered = !!at || (!k.stillRunning && own.rows[0]?.status === 'completed');
      }
      const diff = await diffTables(stack.pool, stack.reference);
      rounds.push({ lost: diff.lost, duplicated: diff.duplicated, halfWritten: await halfWrittenRows(stack.pool), open: await openBatches(stack.pool) });
      await stack.stopChildren();
    }

    const injected = kills.filter((k) => k.hit);
    const recovered = injected.filter((k) => k.recovered);
    const byStage = STAGES.map((s) => `${s} ${injected.filter((k) => k.stage === s).length}`).join(', ');
    recordFault(stack.ctx.resultsFile, {
      scenario: '1',
      fault: 'SIGKILL of the worker running a stage (seeded stage occurrence, 0-40 ms into it)',
      injected: injected.length,
      recovered: recovered.length,
      rowsLost: rounds.reduce((a, r) => a + r.lost, 0),
      rowsDuplicated: rounds.reduce((a, r) => a + r.duplicated, 0),
      recoverMs: Math.max(0, ...injected.map((k) => k.recoverMs ?? 0)),
      notes: `${rounds.length} backfills of 18 weeks x 4000 rows, 2 workers; kills by stage: ${byStage}; ${injected.filter((k) => k.stillRunning).length} hit a stage still running (the rest just after it committed); half-written rows ${rounds.reduce((a, r) => a + r.halfWritten, 0)}`,
    });

    expect(injected.length).toBeGreaterThanOrEqual(20);
    for (const stage of STAGES) expect(hits(stage)).toBeGreaterThanOrEqual(HITS_PER_STAGE);
    // A stage killed mid-run must run again to completion on another worker.
    expect(injected.filter((k) => !k.recovered)).toEqual([]);
    for (const r of rounds) expect(r).toEqual({ lost: 0, duplicated: 0, halfWritten: 0, open: [] });
  });
});
