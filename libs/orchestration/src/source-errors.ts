import { FinraRequestError, FinraRetriesExhaustedError } from '@spine/finra-source';
import { asJobError, DataError, InfrastructureError, type JobError } from './job-errors.ts';

/**
 * The job error for a failed fetch. FINRA's client knows which of its failures waiting can cure (429, 5xx,
 * timeouts, a cut-off body, a count that did not add up while FINRA republished) and which it cannot (a 4xx, an
 * answer of another week, tier or grain): that verdict stands. Anything else is classified like any job error.
 */
export function sourceJobError(error: unknown): JobError {
  if (error instanceof FinraRetriesExhaustedError) {
    return new InfrastructureError('source', `FINRA, ${error.attempts} attempts`, error.message,
      { cause: error, context: { source: 'finra', error: error.lastError.name, attempts: error.attempts } });
  }
  if (error instanceof FinraRequestError) {
    if (!error.retryable) return new DataError(error.message, { cause: error });
    return new InfrastructureError('source', 'FINRA', error.message, { cause: error, context: { source: 'finra', error: error.name } });
  }
  return asJobError(error);
}
