import { afterAll, describe, expect, it } from 'vitest';
import { AdvisoryLockTimeoutError, withAdvisoryLock } from '@spine/platform';
import { testPool } from '../support/database.ts';

const pool = testPool();
afterAll(() => pool.end());

describe('withAdvisoryLock', () => {
  it('gives up after its timeout while another session holds the lock, and leaves no lock_timeout behind', async () => {
    const key = `test:advisory:${Math.random()}`;
    const holder = await pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      let ran = false;
      await expect(withAdvisoryLock(pool, key, async () => (ran = true), { timeoutMs: 200 })).rejects.toBeInstanceOf(AdvisoryLockTimeoutError);
      expect(ran).toBe(false);
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      expect(await withAdvisoryLock(pool, key, async () => 'ran', { timeoutMs: 200 })).toBe('ran');
      const settings = await Promise.all(Array.from({ length: 3 }, async () => {
        const client = await pool.connect();
        try {
          return (await client.query(`SELECT current_setting('lock_timeout') AS t`)).rows[0].t;
        } finally {
          client.release();
        }
      }));
      expect(settings).toEqual(['0', '0', '0']);
    } finally {
      holder.release();
    }
  });
});
