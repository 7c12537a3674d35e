export { sourceAccess, parseSourceSpec, sourceSpecSchema, InvalidSourceSpecError, SOURCE_SPEC_FORMS, type SourceAccessOptions, type SourceSpec } from './source-access.ts';
export { sourceCatalog, publishingSourceCatalog, type SourceCatalogOptions } from './source-catalog.ts';
export {
  sourceAllowListFromEnv,
  sourceNotAllowed,
  assertSourceAllowed,
  requestedSource,
  SourceNotAllowedError,
  type SourceAllowList,
} from './source-allow-list.ts';
export { DirectoryFiles } from './dir-files.ts';
export { S3PrefixFiles } from './s3-files.ts';
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
