import { describe, expect, it } from 'vitest';
import { FinraQueryClient } from '../src/finra-api/query-client.ts';
import { FINRA_BASE_URL, FINRA_TOKEN_URL, finraApiOptionsFromEnv } from '../src/finra-api/options.ts';

describe('finraApiOptionsFromEnv', () => {
  it('fills the defaults when nothing is set, treating empty variables as unset', () => {
    expect(finraApiOptionsFromEnv({ FINRA_CLIENT_ID: '', FINRA_CLIENT_SECRET: '' })).toEqual({
      baseUrl: FINRA_BASE_URL,
      tokenUrl: FINRA_TOKEN_URL,
      pageSize: 5000,
      requestsPerSecond: 20,
      maxPageBytes: 16 * 1024 * 1024,
      maxAttempts: 6,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      timeoutMs: 60_000,
    });
  });

  it('reads every variable', () => {
    expect(
      finraApiOptionsFromEnv({
        FINRA_BASE_URL: 'http://127.0.0.1:8080',
        FINRA_TOKEN_URL: 'http://127.0.0.1:8080/oauth2/token',
        FINRA_CLIENT_ID: 'id',
        FINRA_CLIENT_SECRET: 'secret',
        FINRA_PAGE_SIZE: '1000',
        FINRA_REQUESTS_PER_SECOND: '5',
        FINRA_MAX_PAGE_BYTES: '4194304',
        FINRA_MAX_ATTEMPTS: '3',
        FINRA_TIMEOUT_MS: '5000',
      }),
    ).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080',
      tokenUrl: 'http://127.0.0.1:8080/oauth2/token',
      clientId: 'id',
      clientSecret: 'secret',
      pageSize: 1000,
      requestsPerSecond: 5,
      maxPageBytes: 4_194_304,
      maxAttempts: 3,
      timeoutMs: 5000,
    });
  });

  it('names every bad variable in one error', () => {
    const attempt = () => finraApiOptionsFromEnv({ FINRA_BASE_URL: 'not a url', FINRA_PAGE_SIZE: '6000', FINRA_MAX_ATTEMPTS: 'x' });
    expect(attempt).toThrow(/FINRA_BASE_URL[\s\S]*FINRA_PAGE_SIZE[\s\S]*FINRA_MAX_ATTEMPTS/);
  });

  it('refuses the retired FINRA_SUMMARY_TYPE instead of ignoring it', () => {
    expect(() => finraApiOptionsFromEnv({ FINRA_SUMMARY_TYPE: 'ATS_W_SMBL_FIRM' })).toThrow(/FINRA_SUMMARY_TYPE is no longer read: every job names its venue type/);
    expect(finraApiOptionsFromEnv({ FINRA_SUMMARY_TYPE: '' })).toMatchObject({ pageSize: 5000 });
  });

  it('requires the client id and secret together', () => {
    expect(() => finraApiOptionsFromEnv({ FINRA_CLIENT_ID: 'id' })).toThrow('FINRA_CLIENT_ID and FINRA_CLIENT_SECRET go together');
  });
});

describe('FinraQueryClient options', () => {
  it('rejects a page size above the API maximum', () => {
    expect(() => new FinraQueryClient({ baseUrl: 'http://127.0.0.1:9', pageSize: 5001 })).toThrow();
  });
});
