import { describe, expect, it } from 'vitest';
import { printableEnv, shellQuote, toShellLines } from '../src/env-output.ts';

const local = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/spine',
  REDIS_URL: 'redis://127.0.0.1:6379',
  S3_ENDPOINT: 'http://127.0.0.1:4569',
  S3_BUCKET: 'spine-raw',
  S3_REGION: 'us-east-1',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
};

describe('printableEnv', () => {
  it('prints every key, in order, for the local development values', () => {
    const { entries, withheld } = printableEnv(local);
    expect(entries.map(([k]) => k)).toEqual(Object.keys(local));
    expect(withheld).toEqual([]);
  });

  it('withholds secrets that came from the environment', () => {
    const { entries, withheld } = printableEnv({
      ...local,
      DATABASE_URL: 'postgres://app:hunter2@db.internal:5432/spine',
      REDIS_URL: 'redis://:pw@cache:6379',
      S3_SECRET_ACCESS_KEY: 'real-secret',
    });
    expect(withheld).toEqual(['DATABASE_URL', 'REDIS_URL', 'S3_SECRET_ACCESS_KEY']);
    expect(JSON.stringify(entries)).not.toMatch(/hunter2|real-secret|:pw@/);
  });
});

describe('shell output', () => {
  it('leaves plain values bare and single-quotes the rest', () => {
    expect(shellQuote('postgres://postgres@127.0.0.1:5432/spine')).toBe('postgres://postgres@127.0.0.1:5432/spine');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's&$x")).toBe(`'it'\\''s&$x'`);
    expect(shellQuote('')).toBe("''");
    expect(toShellLines([['A', '1'], ['B', 'x y']])).toBe("A=1\nB='x y'\n");
  });
});
