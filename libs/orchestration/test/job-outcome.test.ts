import { describe, expect, it } from 'vitest';
import { DataError } from '../src/job-errors.ts';
import { decideFailure, type FailureFacts } from '../src/job-outcome.ts';

const facts = (over: Partial<FailureFacts>): FailureFacts => ({
  error: { name: 'Error', message: '[infrastructure: network error ECONNRESET] read ECONNRESET' }, attemptsMade: 1, attempts: 12, state: 'delayed', ...over,
});

describe('decideFailure', () => {
  it('is not final while BullMQ will retry the job', () => {
    expect(decideFailure(facts({ state: 'delayed' }))).toEqual({ final: false });
    expect(decideFailure(facts({ state: 'waiting' }))).toEqual({ final: false });
    // Even an attempt count that says otherwise: the state is what BullMQ does next.
    expect(decideFailure(facts({ state: 'waiting', attemptsMade: 12 }))).toEqual({ final: false });
  });

  it('is final when the job is failed, naming why', () => {
    expect(decideFailure(facts({ state: 'failed', attemptsMade: 12 }))).toEqual({ final: true, cause: 'attempts_exhausted' });
    expect(decideFailure(facts({ state: 'failed', error: { name: 'UnrecoverableError', message: '[data] bad header' } })))
      .toEqual({ final: true, cause: 'unrecoverable' });
    // BullMQ fails a job that stalled too often with attempts left: the case the attempt count alone missed.
    expect(decideFailure(facts({ state: 'failed', attemptsMade: 1, error: { name: 'UnrecoverableError', message: 'job stalled more than allowable limit' } })))
      .toEqual({ final: true, cause: 'stalled' });
  });

  it('falls back on the error and attempts when the job is already gone', () => {
    expect(decideFailure(facts({ state: 'unknown', attemptsMade: 3, attempts: 12 }))).toEqual({ final: false });
    expect(decideFailure(facts({ state: 'unknown', attemptsMade: 12, attempts: 12 }))).toEqual({ final: true, cause: 'attempts_exhausted' });
    expect(decideFailure(facts({ state: 'unknown', attemptsMade: 1, attempts: undefined }))).toEqual({ final: true, cause: 'attempts_exhausted' });
    expect(decideFailure(facts({ state: 'unknown', error: { name: 'UnrecoverableError', message: '[data] x' } }))).toEqual({ final: true, cause: 'unrecoverable' });
  });

  it('calls a data error unrecoverable by its class, whatever its message says', () => {
    const error = new DataError('s3://b/k: a line says the job stalled more than allowable limit');
    expect(decideFailure(facts({ state: 'failed', error }))).toEqual({ final: true, cause: 'unrecoverable' });
  });
});
