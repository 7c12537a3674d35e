export { SourceNotFoundError, type FinraSource, type PublishedWeeks, type SourceObject, type WeekRequest } from './source.ts';
export { createSource, parseSourceSpec, sourceSpecSchema, InvalidSourceSpecError, SOURCE_SPEC_FORMS, type CreateSourceOptions, type SourceSpec } from './create-source.ts';
export { DirectorySource } from './dir-source.ts';
export { S3PrefixSource } from './s3-source.ts';
export { weekFileName, weekEndingOfFileName } from './week-file-name.ts';
export { assertWeekEnding, isWeekEnding, weekStartDate, weekEndingFromStart, addDays } from './week-dates.ts';
export { FinraApiSource } from './finra-api/finra-api-source.ts';
export { FinraQueryClient } from './finra-api/query-client.ts';
export {
  finraApiOptionsSchema,
  finraApiEnvSchema,
  finraApiOptionsFromEnv,
  FINRA_BASE_URL,
  FINRA_TOKEN_URL,
  FINRA_MAX_PAGE_SIZE,
  FINRA_REQUESTS_PER_SECOND,
  type FinraApiOptions,
  type ResolvedFinraApiOptions,
} from './finra-api/options.ts';
export type { RetryEvent } from './finra-api/http-retry.ts';
export {
  FinraRequestError,
  FinraHttpError,
  FinraResponseError,
  FinraTimeoutError,
  FinraNetworkError,
  FinraRetriesExhaustedError,
  PartitionsUnknownError,
} from './finra-api/errors.ts';
