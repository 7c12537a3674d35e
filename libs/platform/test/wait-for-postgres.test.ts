import { describe, expect, it } from 'vitest';
import { waitForPostgres } from '../src/db/wait-for-postgres.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A server that refuses `failures` connections, then answers; `error` instead of a refusal when given. */
function server(failures: number, error: () => Error = refused) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    query: async () => {
      calls += 1;
      if (calls <= failures) throw error();
      return { rows: [{ '?column?': 1 }] };
    },
  };
}

describe('waitForPostgres', () => {
  it('waits out refused connections until the server answers', async () => {
    const db = server(3);
    await waitForPostgres(db, 1000, 5);
    expect(db.calls).toBe(4);
  });

  it('throws at once what waiting cannot cure', async () => {
    const db = server(5, () => Object.assign(new Error('password authentication failed for user "spine"'), { code: '28P01' }));
    await expect(waitForPostgres(db, 1000, 5)).rejects.toThrow(/^password authentication failed/);
    expect(db.calls).toBe(1);
  });

  it('gives up after its time, naming the last error', async () => {
    const db = server(Infinity);
    await expect(waitForPostgres(db, 50, 10)).rejects.toThrow(/^PostgreSQL did not accept connections within 0.05 s: connect ECONNREFUSED/);
    expect(db.calls).toBeGreaterThan(1);
  });
});
