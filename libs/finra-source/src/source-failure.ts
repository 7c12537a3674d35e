import type { SourceFailure } from '@spine/platform';
import { FinraHttpError, FinraNetworkError, FinraRequestError, FinraRetriesExhaustedError } from './finra-api/errors.ts';

/**
 * The verdict on a failed request to a source, or undefined for an error that is not the source's own. FINRA's
 * client knows which of its failures waiting can cure (429, 5xx, timeouts, a cut-off body, a count that did not add
 * up while FINRA republished) and which it cannot (a 4xx, an answer of another week, tier or grain): that verdict
 * stands, with the settings to check when a setting is at fault.
 */
export function classifySourceError(error: unknown): SourceFailure | undefined {
  if (error instanceof FinraRetriesExhaustedError) {
    return {
      kind: 'transient', detail: `FINRA, ${error.attempts} attempts`, message: `${error.message}${unreachableHint(error.lastError)}`,
      context: { source: 'finra', error: error.lastError.name, attempts: error.attempts },
    };
  }
  if (error instanceof FinraHttpError && (error.status === 401 || error.status === 403)) {
    return {
      kind: 'configuration', detail: 'FINRA credentials refused', message: `${error.message}; check FINRA_CLIENT_ID and FINRA_CLIENT_SECRET (and FINRA_TOKEN_URL)`,
      context: { source: 'finra', status: error.status },
    };
  }
  if (error instanceof FinraRequestError) {
    if (!error.retryable) return { kind: 'final', message: error.message };
    return { kind: 'transient', detail: 'FINRA', message: `${error.message}${unreachableHint(error)}`, context: { source: 'finra', error: error.name } };
  }
  return undefined;
}

/** FINRA unreachable (a name that does not resolve, a refused connection) is most often where this process looks. */
function unreachableHint(error: FinraRequestError): string {
  return error instanceof FinraNetworkError ? `; check FINRA_BASE_URL (now ${new URL(error.url).origin}) and that this host reaches it` : '';
}
