import { describe, expect, it } from 'vitest';
import { InputError } from '@spine/platform';
import { FinraRetriesExhaustedError, PartitionsUnknownError } from '../src/finra-api/errors.ts';
import { sourceCatalog } from '../src/source-catalog.ts';
import { SourceNotAllowedError } from '../src/source-allow-list.ts';

const sources = sourceCatalog({ allow: { dirs: ['/data/finra'], buckets: [] }, finraApi: { baseUrl: 'http://127.0.0.1:1/', maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });

describe('sourceCatalog', () => {
  it('defaults to FINRA\'s Query API and tells each form\'s kind without reaching it', () => {
    expect(sources.default).toBe('finra');
    expect(sources.kind(sources.default)).toBe('api');
    expect(sources.kind('dir:/elsewhere')).toBe('dir');
    expect(sources.kind('s3:any-bucket/p')).toBe('s3');
    expect(() => sources.kind('ftp://x')).toThrow('expected finra | dir:<path> | s3:<bucket>/<prefix>');
  });

  it('takes a requested source within the allow-lists, and says in an InputError why not otherwise', () => {
    expect(sources.requested('dir:/data/finra/./weeks/')).toBe('dir:/data/finra/weeks');
    expect(() => sources.requested('dir:/etc')).toThrow(InputError);
    expect(() => sources.requested('ftp://x')).toThrow(InputError);
  });

  it('opens only what the allow-lists hold', () => {
    expect(sources.open('dir:/data/finra/weeks').kind).toBe('dir');
    expect(() => sources.open('s3:other-bucket/weeks')).toThrow(SourceNotAllowedError);
    expect(() => sources.open('s3:other-bucket/weeks')).toThrow('source s3:other-bucket/weeks is not allowed: s3: sources are disabled');
  });

  it('caps the attempts of a lookup at its limits', async () => {
    const attempts = async (limits?: { maxAttempts: number; timeoutMs: number }) => {
      const access = sources.open(sources.default, limits);
      if (access.kind !== 'api') throw new Error(`expected api, got ${access.kind}`);
      const error = await access.query.partitions({ group: 'g', name: 'n', unknown: 'which weeks are published' }, () => undefined).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartitionsUnknownError);
      expect((error as Error).cause).toBeInstanceOf(FinraRetriesExhaustedError);
      return ((error as Error).cause as FinraRetriesExhaustedError).attempts;
    };
    expect(await attempts()).toBe(3);
    expect(await attempts({ maxAttempts: 1, timeoutMs: 5_000 })).toBe(1);
    expect(await attempts({ maxAttempts: 10, timeoutMs: 5_000 })).toBe(3);
  });
});
