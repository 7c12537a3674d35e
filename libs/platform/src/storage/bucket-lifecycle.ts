import {
  GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, type LifecycleRule, type S3Client,
} from '@aws-sdk/client-s3';

export const ABORT_MULTIPART_RULE_ID = 'spine-abort-incomplete-multipart';

export type LifecycleOutcome = 'added' | 'present' | 'unsupported';

function errorCode(error: unknown): string | undefined {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e.Code ?? e.name;
}

/** Servers without lifecycle support (s3rver, some gateways) answer with one of these. */
const UNSUPPORTED = new Set(['NotImplemented', 'MethodNotAllowed', 'NotSupported', 'XNotImplemented']);

/**
 * Makes the bucket abort incomplete multipart uploads after `days`: an upload cut off by a crash otherwise keeps
 * its parts (and their cost) for ever. Existing rules are kept: the configuration is read, and the rule appended
 * only when missing. A server that does not implement lifecycle configuration yields 'unsupported'.
 */
export async function ensureAbortMultipartRule(s3: S3Client, bucket: string, days = 1): Promise<LifecycleOutcome> {
  let rules: LifecycleRule[] = [];
  try {
    rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
  } catch (error) {
    const code = errorCode(error);
    if (code && UNSUPPORTED.has(code)) return 'unsupported';
    if (code !== 'NoSuchLifecycleConfiguration') throw error;
  }
  if (rules.some((r) => r.ID === ABORT_MULTIPART_RULE_ID)) return 'present';
  const rule: LifecycleRule = { ID: ABORT_MULTIPART_RULE_ID, Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: days } };
  try {
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [...rules, rule] } }));
  } catch (error) {
    const code = errorCode(error);
    if (code && UNSUPPORTED.has(code)) return 'unsupported';
    throw error;
  }
  return 'added';
}
