import { FinraHttpError, FinraNetworkError, FinraRequestError, FinraRetriesExhaustedError, PartitionsUnknownError } from '@spine/finra-source';
import { asJobError, DataError, InfrastructureError, type JobError } from './job-errors.ts';

/**
 * The job error for a failed fetch. FINRA's client knows which of its failures waiting can cure (429, 5xx,
 * timeouts, a cut-off body, a count that did not add up while FINRA republished) and which it cannot (a 4xx, an
 * answer of another week, tier or grain): that verdict stands. Anything else is classified like any job error.
 */
export function sourceJobError(error: unknown): JobError {
  // Which weeks FINRA published is unknown because a request failed: that request's failure says what to do.
  if (error instanceof PartitionsUnknownError) return sourceJobError(error.cause);
  if (error instanceof FinraRetriesExhaustedError) {
    return new InfrastructureError('source', `FINRA, ${error.attempts} attempts`, `${error.message}${unreachableHint(error.lastError)}`,
      { cause: error, context: { source: 'finra', error: error.lastError.name, attempts: error.attempts } });
  }
  if (error instanceof FinraHttpError && (error.status === 401 || error.status === 403)) {
    return new InfrastructureError('configuration', 'configuration: FINRA credentials refused',
      `${error.message}; check FINRA_CLIENT_ID and FINRA_CLIENT_SECRET (and FINRA_TOKEN_URL)`, { cause: error, context: { source: 'finra', status: error.status } });
  }
  if (error instanceof FinraRequestError) {
    if (!error.retryable) return new DataError(error.message, { cause: error });
    return new InfrastructureError('source', 'FINRA', `${error.message}${unreachableHint(error)}`, { cause: error, context: { source: 'finra', error: error.name } });
  }
  return asJobError(error);
}

/** FINRA unreachable (a name that does not resolve, a refused connection) is most often where this process looks. */
function unreachableHint(error: FinraRequestError): string {
  return error instanceof FinraNetworkError ? `; check FINRA_BASE_URL (now ${new URL(error.url).origin}) and that this host reaches it` : '';
}
