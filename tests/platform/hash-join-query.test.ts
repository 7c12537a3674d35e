import { afterAll, describe, expect, it } from 'vitest';
import { queryWithHashJoins } from '@spine/platform';
import { testPool } from '../support/database.ts';

const pool = testPool();
afterAll(() => pool.end());

describe('queryWithHashJoins', () => {
  it('runs its statement without nested loops and restores the caller\'s setting for the rest of the transaction', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const inside = await queryWithHashJoins(client, `SELECT current_setting('enable_nestloop') AS nestloop`, []);
      expect(inside.rows[0]).toEqual({ nestloop: 'off' });
      // Two outer rows against an indexed catalog: PostgreSQL's own choice is an index probe in a nested loop.
      const join = `EXPLAIN (COSTS off) SELECT c.oid FROM (VALUES ('pg_class'::name), ('pg_type'::name)) v(n) JOIN pg_class c ON c.relname = v.n`;
      const planText = (r: { rows: { 'QUERY PLAN': string }[] }) => r.rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(planText(await client.query(join))).toMatch(/Nested Loop/);
      expect(planText(await queryWithHashJoins(client, join, []))).not.toMatch(/Nested Loop/);
      const after = await client.query(`SELECT current_setting('enable_nestloop') AS nestloop`);
      expect(after.rows[0]).toEqual({ nestloop: 'on' });
      // A caller's own setting is what comes back, not the server default.
      await client.query('SET LOCAL enable_nestloop = off');
      await queryWithHashJoins(client, 'SELECT 1', []);
      expect((await client.query(`SELECT current_setting('enable_nestloop') AS nestloop`)).rows[0]).toEqual({ nestloop: 'off' });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });

  it('leaves nothing behind when its statement fails: the rollback undoes the setting', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await expect(queryWithHashJoins(client, 'SELECT 1 / 0', [])).rejects.toThrow(/division by zero/);
      await client.query('ROLLBACK');
      expect((await client.query(`SELECT current_setting('enable_nestloop') AS nestloop`)).rows[0]).toEqual({ nestloop: 'on' });
    } finally {
      client.release();
    }
  });
});
