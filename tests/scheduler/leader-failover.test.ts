import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';
import { testPool } from '../support/database.ts';
import { saveSchedules } from '../support/schedules.ts';

const pool = testPool();
const prefix = `test-leader-${inject('testRunId')}`;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const children: SpineChild[] = [];
let restoreSchedules = async () => {};

beforeAll(async () => {
  restoreSchedules = await saveSchedules(pool);
  // Leadership is what is under test: the replicas tick with no schedule enabled, so they enqueue nothing.
  await pool.query('UPDATE core_expected_schedules SET enabled = false');
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await redis.del(`${prefix}:scheduler:leader`, `${prefix}:scheduler:leader:fence`);
  await redis.quit();
  await restoreSchedules();
  await pool.end();
});

function holderOf(child: SpineChild): string {
  const match = /"msg":"scheduler started"/.test(child.output()) ? /"holder":"([0-9a-f-]+)"/.exec(child.output()) : null;
  if (!match) throw new Error(`no holder id in the scheduler log:\n${child.output()}`);
  return match[1]!;
}

describe('scheduler replicas', () => {
  it('elect exactly one leader, and another takes over within a tick plus the lease TTL after the leader dies', async () => {
    const env = {
      ...process.env, DATABASE_URL: inject('databaseUrl'), QUEUE_PREFIX: prefix, SCHEDULER_CRON: '* * * * * *',
      SCHEDULER_LEASE_TTL_MS: '2000', SCHEDULER_HEALTH_PORT: '0',
    };
    for (let i = 0; i < 2; i++) children.push(await spawnSpine(['scheduler'], env, { startedMessage: 'scheduler started' }));
    const [a, b] = children as [SpineChild, SpineChild];
    const key = `${prefix}:scheduler:leader`;
    await expect.poll(async () => (await redis.get(key))?.split(':')[0], { timeout: 5000 }).toBeDefined();
    const leaderValue = (await redis.get(key))!;
    const leader = [a, b].find((c) => leaderValue.startsWith(holderOf(c)))!;
    const follower = leader === a ? b : a;
    // Only the leader runs ticks: once it has ticked twice, the follower's cron fired too and stayed idle.
    const ticks = (c: SpineChild) => c.output().split('\n').filter((l) => l.includes('"msg":"tick"')).length;
    await expect.poll(() => ticks(leader), { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    expect(ticks(follower)).toBe(0);

    const killedAt = Date.now();
    await leader.stop('SIGKILL');
    await expect.poll(async () => (await redis.get(key))?.startsWith(holderOf(follower)), { timeout: 8000, interval: 100 }).toBe(true);
    const failoverMs = Date.now() - killedAt;
    expect(failoverMs).toBeLessThanOrEqual(1000 + 2000 + 1000);
    const newToken = Number((await redis.get(key))!.split(':')[1]);
    expect(newToken).toBeGreaterThan(Number(leaderValue.split(':')[1]));
    await expect.poll(() => follower.output().includes('"msg":"tick"'), { timeout: 3000 }).toBe(true);
  });
});
