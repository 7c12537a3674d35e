import { describe, expect, it } from 'vitest';
import { transientReason } from '../src/transient-errors.ts';

describe('transientReason', () => {
  it('follows causes and aggregate errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(transientReason(new AggregateError([new Error('x'), refused]))).toBe('network error ECONNREFUSED');
    expect(transientReason(new Error('outer', { cause: new Error('mid', { cause: refused }) }))).toBe('network error ECONNREFUSED');
  });

  it('does not loop on a cyclic cause and returns undefined for ordinary errors', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(transientReason(a)).toBeUndefined();
    expect(transientReason(Object.assign(new Error('not found'), { $metadata: { httpStatusCode: 404 } }))).toBeUndefined();
    expect(transientReason(Object.assign(new Error('syntax error'), { code: '42601' }))).toBeUndefined();
    expect(transientReason(undefined)).toBeUndefined();
  });

  it('counts 429 and 408 as transient, like 5xx', () => {
    expect(transientReason(Object.assign(new Error('slow down'), { status: 429 }))).toBe('HTTP 429');
    expect(transientReason(Object.assign(new Error('timeout'), { statusCode: 408 }))).toBe('HTTP 408');
  });
});
