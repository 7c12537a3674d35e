import { expect } from 'vitest';
import type { PoolClient } from 'pg';
import type { Pool } from '@spine/platform';
import { OTC_CODEC } from '@spine/otc/partition-codec';
import type { SpineChild } from '@spine/cli/spawn-spine';
import { count } from './tables.ts';
import type { TestCluster } from './cluster.ts';

export const BLOCKED_WEEK = { tier: 'OTC' as const, week_ending: '2025-12-05' };
export const BLOCKED_INGEST_JOB = `otc-${BLOCKED_WEEK.tier}-${BLOCKED_WEEK.week_ending}-ingest`;
export const BLOCKED_FETCH_JOB = `otc-${BLOCKED_WEEK.tier}-${BLOCKED_WEEK.week_ending}-fetch`;

/**
 * Holds the ingest stage's week lock in a transaction of the test's own, so a worker's ingest job of BLOCKED_WEEK
 * stays active (waiting for the lock inside its stage transaction) exactly as long as the test wants; release()
 * lets it go on.
 */
export async function holdWeekLock(pool: Pool): Promise<{ release(): Promise<void> }> {
  const client: PoolClient = await pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [OTC_CODEC.lockName({ domain: 'otc', key1: BLOCKED_WEEK.tier, key2: 'ATS', periodEnd: BLOCKED_WEEK.week_ending }, 'partition')]);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

/** Resolves once a worker's ingest job of BLOCKED_WEEK is active and waiting for the lock holdWeekLock holds. */
export async function ingestBlockedOnLock(cluster: TestCluster, pool: Pool): Promise<void> {
  const queues = cluster.queues(pool);
  try {
    await expect.poll(() => queues.stageQueue.getJobState(BLOCKED_INGEST_JOB), { timeout: 30_000, interval: 100 }).toBe('active');
    // Active and blocked on the lock, not finished a moment later.
    await expect.poll(() => count(pool, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`), { timeout: 10_000, interval: 50 }).toBe(1);
  } finally {
    await queues.close();
  }
}

/** A job's state and the attempts it used, as the queue holds them. */
export async function jobFacts(cluster: TestCluster, pool: Pool, id: string): Promise<{ state: string; attemptsMade: number }> {
  const queues = cluster.queues(pool);
  try {
    const queue = id.endsWith('-fetch') ? queues.fetchQueue : queues.stageQueue;
    const job = await queue.getJob(id);
    return { state: await queue.getJobState(id), attemptsMade: job?.attemptsMade ?? -1 };
  } finally {
    await queues.close();
  }
}

/**
 * Sends SIGTERM and resolves with the exit code once the worker is gone, or fails (with its log) when it is still
 * running `withinMs` later.
 */
export async function stopWithin(worker: SpineChild, withinMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the worker did not exit ${withinMs} ms after SIGTERM:\n${worker.output().slice(-3000)}`)), withinMs);
  });
  try {
    return await Promise.race([worker.stop('SIGTERM'), overdue]);
  } finally {
    clearTimeout(timer);
  }
}
