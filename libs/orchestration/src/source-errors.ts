import { PublishedPartitionsUnknownError, type SourceCatalog } from '@spine/platform';
import { asJobError, DataError, InfrastructureError, type JobError } from './job-errors.ts';

/**
 * The job error for a failed fetch. A source knows which of its failures waiting can cure and which it cannot, and
 * which setting is at fault: its verdict (`classify`) stands. Anything else is classified like any job error.
 */
export function sourceJobError(error: unknown, sources: Pick<SourceCatalog, 'classify'>): JobError {
  // Which partitions are published is unknown because a request failed: that request's failure says what to do.
  if (error instanceof PublishedPartitionsUnknownError) return sourceJobError(error.cause, sources);
  const failure = sources.classify(error);
  if (!failure) return asJobError(error);
  if (failure.kind === 'final') return new DataError(failure.message, { cause: error });
  const reason = failure.kind === 'configuration' ? 'configuration' : 'source';
  const detail = failure.kind === 'configuration' ? `configuration: ${failure.detail}` : failure.detail;
  return new InfrastructureError(reason, detail, failure.message, { cause: error, context: failure.context });
}
