import { describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import { FileTooLargeError } from '@spine/platform';
import { FinraHttpError, FinraNetworkError, FinraResponseError, FinraRetriesExhaustedError, PartitionsUnknownError, sourceCatalog } from '@spine/finra-source';
import { asJobError, DataError, InfrastructureError, JobDeadlineError, jobErrorFields, WorkerStoppingError, type InfrastructureReason } from '../src/job-errors.ts';
import { sourceJobError } from '../src/source-errors.ts';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
/** The worker's sources, whose verdict on a source's error sourceJobError keeps. */
const sources = sourceCatalog({ allow: { dirs: [], buckets: [] } });

function infrastructure(error: Error): InfrastructureError {
  expect(error).toBeInstanceOf(InfrastructureError);
  expect(error).not.toBeInstanceOf(UnrecoverableError);
  return error as InfrastructureError;
}

describe('asJobError: infrastructure faults', () => {
  it('names lost connections, PostgreSQL restarts, timeouts and lock conflicts, S3 5xx and throttling, with their reason', () => {
    const cases: [unknown, InfrastructureReason, RegExp][] = [
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'network', /ECONNREFUSED/],
      [new Error('Connection terminated unexpectedly'), 'postgres', /connection lost/],
      [pgError('57P01', 'terminating connection due to administrator command'), 'postgres', /57P01/],
      [pgError('57014', 'canceling statement due to statement timeout'), 'postgres', /57014/],
      [pgError('55P03', 'canceling statement due to lock timeout'), 'lock', /55P03/],
      [pgError('40P01', 'deadlock detected'), 'lock', /40P01/],
      [new Error('Connection is closed.'), 'redis', /Redis connection lost/],
      [Object.assign(new Error('We encountered an internal error'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }), 's3', /S3 InternalError/],
      [Object.assign(new Error('Service Unavailable'), { name: 'UnknownError', $metadata: { httpStatusCode: 503 } }), 'http', /HTTP 503/],
      [Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), 'timeout', /timeout/],
      [new JobDeadlineError(1000, 'ingest job x'), 'deadline', /deadline of 1000 ms/],
      [new WorkerStoppingError('fetch job y'), 'shutdown', /worker shutting down/],
      // Stage runners wrap what they caught: the cause decides.
      [new Error('stage ingest failed for OTC 2025-12-05: x', { cause: pgError('08006', 'connection failure') }), 'postgres', /08006/],
    ];
    for (const [cause, reason, detail] of cases) {
      const error = infrastructure(asJobError(cause));
      expect(error.reason, String(cause)).toBe(reason);
      expect(error.message).toMatch(detail);
      expect(error.cause).toBe(cause);
    }
  });

  it('keeps the kind at the start of the message people read, and the codes that decided it as context', () => {
    const cause = pgError('57P01', 'terminating connection due to administrator command');
    const error = infrastructure(asJobError(cause));
    expect(error.message).toBe('[infrastructure: PostgreSQL SQLSTATE 57P01] terminating connection due to administrator command');
    expect(error.context).toEqual({ sqlstate: '57P01' });
    expect(jobErrorFields(error)).toEqual({ kind: 'infrastructure', reason: 'postgres', context: { sqlstate: '57P01' } });
    expect(infrastructure(asJobError(new JobDeadlineError(1000, 'ingest job x'))).context).toEqual({ deadline_ms: 1000 });
  });
});

describe('asJobError: data errors', () => {
  it('calls everything else a data error: bad files, violated constraints, bugs, S3 4xx', () => {
    const cases: unknown[] = [
      new Error('s3://b/k is not a FINRA OTC weekly file (header "x")'),
      pgError('23505', 'duplicate key value violates unique constraint'),
      pgError('22003', 'value out of range for type bigint'),
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
      'a thrown string',
    ];
    for (const cause of cases) {
      const error = asJobError(cause);
      expect(error, String(cause)).toBeInstanceOf(DataError);
      expect(jobErrorFields(error)).toEqual({ kind: 'data' });
    }
  });

  it('makes data errors unrecoverable, so BullMQ fails them without spending attempts', () => {
    const cause = pgError('23505', 'duplicate key');
    const error = asJobError(cause);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.name).toBe('UnrecoverableError');
    expect(error.message).toBe('[data] duplicate key');
    expect(error.cause).toBe(cause);
  });

  it('fails a fetched file past the size cap for good: fetching it again brings the same bytes', () => {
    const error = asJobError(new FileTooLargeError('s3://drops/OTC/2025-12-05.psv', 1024, 2048));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe('[data] s3://drops/OTC/2025-12-05.psv is 2048 bytes, more than the 1024-byte cap on a source file (SOURCE_MAX_FILE_BYTES); it was not stored');
  });
});

describe('asJobError decides by type, not by message text', () => {
  it('leaves an already classified error as it is', () => {
    const once = asJobError(new Error('bad header'));
    expect(asJobError(once)).toBe(once);
    const infra = asJobError(pgError('57P01', 'shutting down'));
    expect(asJobError(infra)).toBe(infra);
    expect(asJobError(new UnrecoverableError('given up')).message).toBe('[data] given up');
  });

  it('classifies an error whose message only looks classified, such as a failure text read back from Redis', () => {
    // Text copied from a retryable failure is not a fault of the infrastructure: nothing waiting could cure.
    const copied = asJobError(new Error('[infrastructure: HTTP 503] read back from job.failedReason'));
    expect(copied).toBeInstanceOf(DataError);
    expect(copied.message).toBe('[data] [infrastructure: HTTP 503] read back from job.failedReason');
    // And a message starting like a data error does not make a lost connection final.
    const lost = asJobError(new Error('[data] looks final', { cause: pgError('08006', 'connection failure') }));
    expect(infrastructure(lost).reason).toBe('postgres');
  });
});

describe('sourceJobError', () => {
  const url = 'https://api.finra.org/data/group/otcMarket/name/weeklySummary';

  it('keeps FINRA\'s verdict: a retryable failure is a source fault, a refused request a data error', () => {
    const unavailable = infrastructure(sourceJobError(new FinraHttpError(url, 503, 'down'), sources));
    expect(unavailable.reason).toBe('source');
    expect(unavailable.message).toMatch(/^\[infrastructure: FINRA\] /);
    expect(unavailable.context).toEqual({ source: 'finra', error: 'FinraHttpError' });
    const exhausted = infrastructure(sourceJobError(new FinraRetriesExhaustedError(3, new FinraHttpError(url, 503, 'down')), sources));
    expect(exhausted.message).toMatch(/^\[infrastructure: FINRA, 3 attempts\] Gave up after 3 attempts/);
    expect(exhausted.context).toEqual({ source: 'finra', error: 'FinraHttpError', attempts: 3 });
    const wrongGrain = sourceJobError(new FinraResponseError(url, 'summaryTypeCode is ATS_W_FIRM', false), sources);
    expect(wrongGrain).toBeInstanceOf(DataError);
    expect(wrongGrain.message).toMatch(/^\[data\] Invalid response from /);
    // Which weeks are published is unknown because a request failed: that request's failure decides.
    const listing = infrastructure(sourceJobError(new PartitionsUnknownError(url, { cause: new FinraHttpError(url, 503, 'down'), unknown: 'which weeks are published' }), sources));
    expect(listing.message).toBe(unavailable.message);
    expect(sourceJobError(new PartitionsUnknownError(url, { cause: new Error('x'), unknown: 'which weeks are published' }), sources)).toBeInstanceOf(DataError);
  });
});

describe('configuration faults: a setting to fix, never the data', () => {
  it('names the settings behind missing or refused S3 credentials, a missing bucket and an untrusted certificate, and retries', () => {
    const cases: [unknown, RegExp, RegExp][] = [
      [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
        /^\[infrastructure: configuration: no S3 credentials\] Could not load credentials/, /check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/],
      [Object.assign(new Error('The AWS Access Key Id you provided does not exist'), { name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } }),
        /configuration: S3 credentials refused/, /check S3_ACCESS_KEY_ID/],
      [Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }),
        /configuration: no such S3 bucket/, /check S3_BUCKET/],
      // A stage wraps what it caught: the cause decides.
      [new Error('stage ingest failed for OTC ATS 2025-12-05: x', { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) }),
        /configuration: TLS certificate/, /check the endpoint URL \(S3_ENDPOINT, FINRA_BASE_URL\) or the trusted CAs/],
    ];
    for (const [cause, kind, hint] of cases) {
      const error = infrastructure(asJobError(cause));
      expect(error.reason).toBe('configuration');
      expect(error.message).toMatch(kind);
      expect(error.message).toMatch(hint);
      expect(error.message).not.toMatch(/^\[data\]/);
    }
    // Names every object answers to are no AWS error names.
    expect(asJobError(Object.assign(new Error('x'), { name: 'constructor' }))).toBeInstanceOf(DataError);
  });

  it('says which FINRA setting to look at: the base URL when FINRA cannot be reached, the client credentials when refused', () => {
    const url = 'https://api.finra.org/data/group/otcMarket/name/weeklySummary';
    const dns = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.finra.org'), { code: 'ENOTFOUND' }) });
    const unreachable = infrastructure(sourceJobError(new FinraRetriesExhaustedError(4, new FinraNetworkError(url, dns)), sources));
    expect(unreachable.message).toMatch(/ENOTFOUND api\.finra\.org; check FINRA_BASE_URL \(now https:\/\/api\.finra\.org\) and that this host reaches it$/);
    const refused = infrastructure(sourceJobError(new FinraHttpError('https://ews.fip.finra.org/fip/rest/ews/oauth2/access_token', 401, 'unauthorized'), sources));
    expect(refused.reason).toBe('configuration');
    expect(refused.message).toMatch(/^\[infrastructure: configuration: FINRA credentials refused\] HTTP 401 /);
    expect(refused.context).toEqual({ source: 'finra', status: 401 });
    expect(refused.message).toMatch(/check FINRA_CLIENT_ID and FINRA_CLIENT_SECRET/);
  });
});

