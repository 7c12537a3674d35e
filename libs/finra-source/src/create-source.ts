import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { DirectorySource } from './dir-source.ts';
import { FinraApiSource } from './finra-api/finra-api-source.ts';
import type { FinraApiOptions } from './finra-api/options.ts';
import { finraApiOptionsFromProcessEnv } from './finra-env.ts';
import { S3PrefixSource, trimSlashes } from './s3-source.ts';
import type { FinraSource } from './source.ts';

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

export interface CreateSourceOptions {
  /** For `finra`; when absent the options are read from the FINRA_* environment variables. */
  finraApi?: FinraApiOptions;
  /** Required for `s3:`; the caller owns endpoint, region and credentials. */
  s3Client?: S3Client;
  /** The largest week file any source may give (SOURCE_MAX_FILE_BYTES); DEFAULT_MAX_FILE_BYTES when absent. */
  maxFileBytes?: number;
}

export function createSource(spec: string, options: CreateSourceOptions = {}): FinraSource {
  const parsed = parseSourceSpec(spec);
  const { maxFileBytes } = options;
  switch (parsed.kind) {
    case 'finra':
      return new FinraApiSource(options.finraApi ?? finraApiOptionsFromProcessEnv(), { maxFileBytes });
    case 'dir':
      return new DirectorySource(parsed.dir, { maxFileBytes });
    case 's3':
      if (!options.s3Client) throw new Error(`Source ${spec} needs an S3 client: pass options.s3Client to createSource`);
      return new S3PrefixSource({ client: options.s3Client, bucket: parsed.bucket, prefix: parsed.prefix, maxFileBytes });
  }
}
