import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '@spine/platform';
import { FinraRetriesExhaustedError, PartitionsUnknownError } from '../src/finra-api/errors.ts';
import { publishingSourceCatalog, sourceCatalog } from '../src/source-catalog.ts';
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

  describe('publishingSourceCatalog', () => {
    afterEach(() => vi.unstubAllEnvs());
    const env = { SOURCE_DIR_ALLOWLIST: [], SOURCE_S3_BUCKET_ALLOWLIST: [] };

    it("reads the API's settings when it is built, so a bad one stops the process at its start", () => {
      vi.stubEnv('FINRA_PAGE_SIZE', '99999');
      expect(() => publishingSourceCatalog(env)).toThrow(/FINRA_PAGE_SIZE/);
    });

    it('opens the API with the settings read then', () => {
      vi.stubEnv('FINRA_BASE_URL', 'http://127.0.0.1:9/');
      const publishing = publishingSourceCatalog(env);
      vi.stubEnv('FINRA_PAGE_SIZE', '99999');
      expect(publishing.open(publishing.default).kind).toBe('api');
    });
  });
});
