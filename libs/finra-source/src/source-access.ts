import type { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import type { SourceAccess } from '@spine/platform';
import { DEFAULT_MAX_FILE_BYTES } from '@spine/platform/streams/byte-cap';
import { DirectoryFiles } from './dir-files.ts';
import type { FinraApiOptions } from './finra-api/options.ts';
import { FinraQueryClient } from './finra-api/query-client.ts';
import { finraApiOptionsFromProcessEnv } from './finra-env.ts';
import { S3PrefixFiles, trimSlashes } from './s3-files.ts';

/**
 * S3 bucket naming rules (lower-case letters, digits, dots and hyphens, alphanumeric at both ends, at most 63
 * characters), except that shorter names than AWS's minimum of 3 pass: local S3 stand-ins accept them.
 */
const BUCKET = '[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?';

export const sourceSpecSchema = z.union([
  z.literal('finra').transform(() => ({ kind: 'finra' as const })),
  z
    .string()
    .regex(/^dir:.+$/)
    .transform((spec) => ({ kind: 'dir' as const, dir: spec.slice('dir:'.length) })),
  z
    .string()
    .regex(new RegExp(`^s3:${BUCKET}(/.*)?$`))
    .transform((spec) => {
      const [bucket = '', ...prefix] = spec.slice('s3:'.length).split('/');
      return { kind: 's3' as const, bucket, prefix: trimSlashes(prefix.join('/')) };
    }),
]);
export type SourceSpec = z.output<typeof sourceSpecSchema>;

export const SOURCE_SPEC_FORMS = 'finra | dir:<path> | s3:<bucket>/<prefix>';

export class InvalidSourceSpecError extends Error {
  override readonly name = 'InvalidSourceSpecError';
  readonly spec: string;

  constructor(spec: string, detail?: string) {
    super(`Invalid source ${JSON.stringify(spec)}: expected ${SOURCE_SPEC_FORMS}${detail ? ` (${detail})` : ''}`);
    this.spec = spec;
  }
}

/** Parses the CLI form of a source; the union's own messages are replaced by one that lists the accepted forms. */
export function parseSourceSpec(spec: string): SourceSpec {
  const parsed = sourceSpecSchema.safeParse(spec.trim());
  if (parsed.success) return parsed.data;
  if (spec.startsWith('s3:')) throw new InvalidSourceSpecError(spec, 'the bucket must be a valid S3 bucket name');
  throw new InvalidSourceSpecError(spec);
}

export interface SourceAccessOptions {
  /** For `finra`; when absent the options are read from the FINRA_* environment variables. */
  finraApi?: FinraApiOptions;
  /** Required for `s3:`; the caller owns endpoint, region and credentials. */
  s3Client?: S3Client;
  /** The largest partition any source may give (SOURCE_MAX_FILE_BYTES); DEFAULT_MAX_FILE_BYTES when absent. */
  maxFileBytes?: number;
}

/**
 * What a source spec reaches: FINRA's Query API (`finra`), a directory or an S3 prefix. A dataset's definition opens
 * its partitions on it (`openSource`): which FINRA dataset to ask, how its files are named.
 */
export function sourceAccess(spec: string, options: SourceAccessOptions = {}): SourceAccess {
  const parsed = parseSourceSpec(spec);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  switch (parsed.kind) {
    case 'finra': {
      const finraApi = options.finraApi ?? finraApiOptionsFromProcessEnv();
      return { kind: 'api', query: new FinraQueryClient(finraApi), common: { maxFileBytes, now: finraApi.now ?? (() => new Date()) } };
    }
    case 'dir':
      return { kind: 'dir', files: new DirectoryFiles(parsed.dir, { maxFileBytes }), common: { maxFileBytes, now: () => new Date() } };
    case 's3':
      if (!options.s3Client) throw new Error(`Source ${spec} needs an S3 client: pass options.s3Client to sourceAccess`);
      return {
        kind: 's3', files: new S3PrefixFiles({ client: options.s3Client, bucket: parsed.bucket, prefix: parsed.prefix, maxFileBytes }),
        common: { maxFileBytes, now: () => new Date() },
      };
  }
}
