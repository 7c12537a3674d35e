export * from './api-tokens.ts';
export * from './openapi.ts';
export { s3Target } from './s3-export-target.ts';
export { researchEndpoints } from './api-endpoints.ts';
export { type Endpoint } from '@spine/platform/research/research-endpoint';
export { ConflictError, NotFoundError } from '@spine/platform/research/errors';
export { describeIssues } from '@spine/platform/research/describe-issues';
export { toCsv } from '@spine/platform/research/csv';
export { allPages } from '@spine/platform/research/all-pages';
