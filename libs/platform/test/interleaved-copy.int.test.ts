import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPool } from '../../../tests/support/database.ts';
import { InterleavedCopy } from '../src/db/interleaved-copy.ts';

const pool = testPool();
afterAll(() => pool.end());

// Both tables take their `seq` from one sequence, so the rows' order across the tables is the order the server wrote them.
beforeAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS interleaved_a, interleaved_b; DROP SEQUENCE IF EXISTS interleaved_seq;
    CREATE SEQUENCE interleaved_seq;
    CREATE TABLE interleaved_a (n int PRIMARY KEY, seq bigint NOT NULL DEFAULT nextval('interleaved_seq'));
    CREATE TABLE interleaved_b (n int PRIMARY KEY, seq bigint NOT NULL DEFAULT nextval('interleaved_seq'))`);
});
afterAll(() => pool.query('DROP TABLE IF EXISTS interleaved_a, interleaved_b; DROP SEQUENCE IF EXISTS interleaved_seq'));

const COPY = { a: 'COPY interleaved_a (n) FROM STDIN', b: 'COPY interleaved_b (n) FROM STDIN' };
const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => `${from + i}\n`).join('');
/** Lets the sender run between writes, as reading a file does. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `fn` in a transaction on one connection, always rolled back: the tables stay empty between tests. */
async function inTransaction(fn: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await fn(client);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe('InterleavedCopy', () => {
  it('writes every row of both tables in one transaction, b\'s rows between a\'s once enough of them wait', async () => {
    await inTransaction(async (client) => {
      // The small bound keeps the producer from running ahead of the sender, whatever the server's pace.
      const copy = new InterleavedCopy(client, COPY, { switchBytes: 256, maxQueuedBytes: 4096 });
      for (let i = 0; i < 50; i++) {
        await copy.write('a', rows(i * 100, 100));
        await copy.write('b', rows(i * 10, 10));
        await turn();
      }
      expect(await copy.end()).toEqual({ a: 5000, b: 500 });
      const { rows: [counts] } = await client.query<{ a: number; b: number; b_before_last_a: number }>(
        `SELECT (SELECT count(DISTINCT n)::int FROM interleaved_a) AS a, (SELECT count(DISTINCT n)::int FROM interleaved_b) AS b,
                (SELECT count(*)::int FROM interleaved_b WHERE seq < (SELECT max(seq) FROM interleaved_a)) AS b_before_last_a`);
      expect(counts).toMatchObject({ a: 5000, b: 500 });
      // Interleaved: most of b's rows were written before a's last, not after all of a's.
      expect(counts!.b_before_last_a).toBeGreaterThan(250);
    });
  });

  it('fails the next write and end with the server\'s error when a COPY fails', async () => {
    await inTransaction(async (client) => {
      const copy = new InterleavedCopy(client, COPY, { switchBytes: 1 });
      await copy.write('a', rows(1, 10));
      await copy.write('b', 'not a number\n');
      let failure: unknown;
      try {
        for (let i = 0; i < 1000; i++) {
          await turn();
          await copy.write('a', rows(100 + i, 1));
        }
        await copy.end();
      } catch (error) {
        failure = error;
      }
      expect(String(failure)).toMatch(/invalid input syntax for type integer/);
      await expect(copy.end()).rejects.toThrow(/invalid input syntax/);
    });
  });

  it('cancels the open COPY on abort: the transaction fails, so nothing is written', async () => {
    await inTransaction(async (client) => {
      const copy = new InterleavedCopy(client, COPY);
      await copy.write('a', rows(1, 10));
      await turn();
      await copy.abort(new Error('the file could not be read'));
      await expect(copy.end()).rejects.toThrow('the file could not be read');
      await expect(copy.write('a', rows(20, 1))).rejects.toThrow('the file could not be read');
      await expect(client.query('SELECT 1')).rejects.toThrow(/current transaction is aborted/);
    });
  });

  it('makes the producer wait while the queues hold more than their bound, and sends the other table\'s rows to make room', async () => {
    // Another transaction's lock holds the first COPY at the server, so what is written next stays queued.
    const locker = await pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE interleaved_a IN ACCESS EXCLUSIVE MODE');
      await inTransaction(async (client) => {
        const copy = new InterleavedCopy(client, COPY, { maxQueuedBytes: 1024 });
        await copy.write('a', rows(1, 10));
        await copy.write('a', rows(11, 10));
        let written = false;
        const pending = copy.write('b', rows(1, 1000)).then(() => (written = true));
        for (let i = 0; i < 20; i++) await turn();
        expect(written).toBe(false);
        await locker.query('COMMIT');
        await pending;
        expect(await copy.end()).toEqual({ a: 20, b: 1000 });
      });
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
  });
});
