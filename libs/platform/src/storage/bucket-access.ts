import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { configurationFault } from '../configuration-errors.ts';

/** What asking for the bucket found: usable, a setting to fix (the process must not start), or no answer yet. */
export type BucketAccess = { ok: true } | { ok: false; misconfigured: string } | { ok: false; unreachable: string };

/**
 * Asks S3 for the bucket (HeadBucket) with the process's own credentials. A HEAD answer has no body, so its status
 * says what is wrong: 404 no such bucket, 403 credentials refused or without rights. No answer (S3 down, a timeout)
 * is no configuration fault: the jobs retry until it answers.
 */
export async function checkBucketAccess(s3: S3Client, bucket: string, timeoutMs: number): Promise<BucketAccess> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return { ok: true };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return { ok: false, misconfigured: `S3 has no bucket "${bucket}"; check S3_BUCKET (and S3_ENDPOINT, S3_REGION)` };
    if (status === 403) {
      return { ok: false, misconfigured: `S3 refused the bucket "${bucket}" to these credentials; check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY and their rights on the bucket` };
    }
    const message = (error as Error).message;
    const fault = configurationFault(error);
    if (fault) return { ok: false, misconfigured: `S3 bucket "${bucket}": ${fault.detail} (${message}); check ${fault.settings}` };
    return { ok: false, unreachable: `S3 bucket "${bucket}" did not answer (${message}); jobs that need S3 retry until it does; if it persists, check S3_ENDPOINT` };
  }
}
