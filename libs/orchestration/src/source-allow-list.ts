import { resolve, sep } from 'node:path';
import { parseSourceSpec } from '@spine/finra-source';

/** The directories and buckets a backfill may read from (SOURCE_DIR_ALLOWLIST, SOURCE_S3_BUCKET_ALLOWLIST). */
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
      ? 'dir: sources are disabled (set SOURCE_DIR_ALLOWLIST to the directories backfills may read)'
      : `directory ${dir} is not under SOURCE_DIR_ALLOWLIST (${allow.dirs.join(', ')})`;
  }
  if (allow.buckets.includes(parsed.bucket)) return undefined;
  return allow.buckets.length === 0
    ? 's3: sources are disabled (set SOURCE_S3_BUCKET_ALLOWLIST to the buckets backfills may read)'
    : `bucket ${parsed.bucket} is not in SOURCE_S3_BUCKET_ALLOWLIST (${allow.buckets.join(', ')})`;
}
