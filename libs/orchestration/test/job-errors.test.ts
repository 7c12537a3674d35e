import { describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import { FileTooLargeError } from '@spine/platform';
import { asJobError, classifyJobError, JobDeadlineError } from '../src/job-errors.ts';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyJobError', () => {
  it('names infrastructure faults: lost connections, PostgreSQL restarts and timeouts, S3 5xx and throttling', () => {
    const cases: [unknown, RegExp][] = [
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), /ECONNREFUSED/],
      [new Error('Connection terminated unexpectedly'), /connection lost/],
      [pgError('57P01', 'terminating connection due to administrator command'), /57P01/],
      [pgError('57014', 'canceling statement due to statement timeout'), /57014/],
      [pgError('55P03', 'canceling statement due to lock timeout'), /55P03/],
      [pgError('40P01', 'deadlock detected'), /40P01/],
      [Object.assign(new Error('We encountered an internal error'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }), /S3 InternalError/],
      [Object.assign(new Error('Service Unavailable'), { name: 'UnknownError', $metadata: { httpStatusCode: 503 } }), /HTTP 503/],
      [Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), /timeout/],
      [new JobDeadlineError(1000, 'ingest job x'), /deadline of 1000 ms/],
      // Stage runners wrap what they caught: the cause decides.
      [new Error('stage ingest failed for OTC 2025-12-05: x', { cause: pgError('08006', 'connection failure') }), /08006/],
    ];
    for (const [error, reason] of cases) {
      const verdict = classifyJobError(error);
      expect(verdict.kind, String(error)).toBe('infrastructure');
      expect(verdict.reason).toMatch(reason);
    }
  });

  it('calls everything else a data error: bad files, violated constraints, bugs, S3 4xx', () => {
    const cases: unknown[] = [
      new Error('s3://b/k is not a FINRA OTC weekly file (header "x")'),
      pgError('23505', 'duplicate key value violates unique constraint'),
      pgError('22003', 'value out of range for type bigint'),
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
      'a thrown string',
    ];
    for (const error of cases) expect(classifyJobError(error).kind, String(error)).toBe('data');
  });
});

describe('asJobError', () => {
  it('keeps infrastructure errors retryable and names their kind', () => {
    const cause = pgError('57P01', 'terminating connection due to administrator command');
    const error = asJobError(cause);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe('[infrastructure: PostgreSQL SQLSTATE 57P01] terminating connection due to administrator command');
    expect(error.cause).toBe(cause);
  });

  it('makes data errors unrecoverable, so BullMQ fails them without spending attempts', () => {
    const error = asJobError(pgError('23505', 'duplicate key'));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.name).toBe('UnrecoverableError');
    expect(error.message).toBe('[data] duplicate key');
  });

  it('fails a fetched file past the size cap for good: fetching it again brings the same bytes', () => {
    const error = asJobError(new FileTooLargeError('s3://drops/OTC/2025-12-05.psv', 1024, 2048));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe('[data] s3://drops/OTC/2025-12-05.psv is 2048 bytes, more than the 1024-byte cap on a source file (SOURCE_MAX_FILE_BYTES); it was not stored');
  });

  it('leaves an already classified error as it is', () => {
    const once = asJobError(new Error('bad header'));
    expect(asJobError(once)).toBe(once);
    expect(asJobError(new UnrecoverableError('given up')).message).toBe('[data] given up');
  });
});
