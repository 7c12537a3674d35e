import { FinraRequestError, FinraRetriesExhaustedError } from '@spine/finra-source';
import { UnrecoverableError } from 'bullmq';
import { asJobError } from './job-errors.ts';

/**
 * The job error for a failed fetch. FINRA's client knows which of its failures waiting can cure (429, 5xx,
 * timeouts, a cut-off body, a count that did not add up while FINRA republished) and which it cannot (a 4xx, an
 * answer of another week, tier or grain): that verdict stands. Anything else is classified like any job error.
 */
export function sourceJobError(error: unknown): Error {
  if (error instanceof FinraRetriesExhaustedError) return tagged(`infrastructure: FINRA, ${error.attempts} attempts`, error, false);
  if (error instanceof FinraRequestError) return tagged(error.retryable ? 'infrastructure: FINRA' : 'data', error, !error.retryable);
  return asJobError(error);
}

function tagged(tag: string, error: Error, final: boolean): Error {
  const message = `[${tag}] ${error.message}`;
  const wrapped = final ? new UnrecoverableError(message) : new Error(message);
  Object.defineProperty(wrapped, 'cause', { value: error, enumerable: false, writable: true, configurable: true });
  return wrapped;
}
