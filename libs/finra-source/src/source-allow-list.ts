import { resolve, sep } from 'node:path';
import { InputError } from '@spine/platform/errors';
import { InvalidSourceSpecError, parseSourceSpec, type SourceSpec } from './source-access.ts';

/**
 * The directories and buckets sources may be read from (SOURCE_DIR_ALLOWLIST, SOURCE_S3_BUCKET_ALLOWLIST). Checked
 * where a source is asked for (a backfill, a schedule) and again where it is read (the fetch job): Bull Board and
 * the schedules table can put any source into a job.
 */
export interface SourceAllowList {
  dirs: readonly string[];
  buckets: readonly string[];
}

export function sourceAllowListFromEnv(env: { SOURCE_DIR_ALLOWLIST: readonly string[]; SOURCE_S3_BUCKET_ALLOWLIST: readonly string[] }): SourceAllowList {
  return { dirs: env.SOURCE_DIR_ALLOWLIST, buckets: env.SOURCE_S3_BUCKET_ALLOWLIST };
}

function within(dir: string, root: string): boolean {
  const r = resolve(root);
  return dir === r || dir.startsWith(r.endsWith(sep) ? r : `${r}${sep}`);
}

/**
 * Why a source may not be used, or undefined when it may: `finra` always; `dir:` only under a configured root,
 * compared after resolving `..` and relative paths (so `dir:/data/../etc` is /etc); `s3:` only for a configured
 * bucket. Symbolic links are not followed: the directory is read by a worker, whose file system this process may not
 * see, so the roots must not contain links that lead out of them. A malformed spec throws parseSourceSpec's error.
 */
export function sourceNotAllowed(spec: string, allow: SourceAllowList): string | undefined {
  const parsed = parseSourceSpec(spec);
  if (parsed.kind === 'finra') return undefined;
  if (parsed.kind === 'dir') {
    const dir = resolve(parsed.dir);
    if (allow.dirs.some((root) => within(dir, root))) return undefined;
    return allow.dirs.length === 0
      ? 'dir: sources are disabled (set SOURCE_DIR_ALLOWLIST to the directories sources may read)'
      : `directory ${dir} is not under SOURCE_DIR_ALLOWLIST (${allow.dirs.join(', ')})`;
  }
  if (allow.buckets.includes(parsed.bucket)) return undefined;
  return allow.buckets.length === 0
    ? 's3: sources are disabled (set SOURCE_S3_BUCKET_ALLOWLIST to the buckets sources may read)'
    : `bucket ${parsed.bucket} is not in SOURCE_S3_BUCKET_ALLOWLIST (${allow.buckets.join(', ')})`;
}

/** A job's source that the reading process's allow-lists refuse: the job cannot succeed however often it is retried. */
export class SourceNotAllowedError extends Error {
  override readonly name = 'SourceNotAllowedError';

  constructor(readonly spec: string, reason: string) {
    super(`source ${spec} is not allowed: ${reason}`);
  }
}

/** Where a source is read: throws SourceNotAllowedError (or parseSourceSpec's error) unless it may be. */
export function assertSourceAllowed(spec: string, allow: SourceAllowList): void {
  const refusal = sourceNotAllowed(spec, allow);
  if (refusal) throw new SourceNotAllowedError(spec, refusal);
}

/**
 * Where a person asks for a source (a backfill, a schedule): the spec to store, or an InputError saying in one line
 * why not. A `dir:` path is stored resolved against this process's working directory, where the person gave it: the
 * worker that reads it has a working directory of its own.
 */
export function requestedSource(spec: string, allow: SourceAllowList): string {
  let parsed: SourceSpec;
  try {
    parsed = parseSourceSpec(spec);
  } catch (error) {
    if (error instanceof InvalidSourceSpecError) throw new InputError(error.message);
    throw error;
  }
  const refusal = sourceNotAllowed(spec, allow);
  if (refusal) throw new InputError(refusal);
  return parsed.kind === 'dir' ? `dir:${resolve(parsed.dir)}` : spec;
}
