import { checkBucketAccess, ConfigError, loadPeriodCalendar, pendingMigrations, toIsoDate, type DatasetDefinition, type Pool, type SourceCatalog } from '@spine/platform';
import { sourceJobError } from './source-errors.ts';

export interface PreflightDeps {
  pool: Pool;
  s3: Parameters<typeof checkBucketAccess>[0];
  bucket: string;
  /** The directories of the migrations this release ships (migrationDirs()): the database must have applied every one. */
  migrationDirs: readonly string[];
  bucketTimeoutMs?: number;
}

/**
 * What a worker checks before it takes a job: the database schema is this release's, and S3 knows the bucket and
 * takes the credentials. A setting wrong is refused at start (a ConfigError naming every setting to fix), since
 * every job would fail on it; S3 not answering is a warning (returned), since it may answer in a minute.
 */
export async function workerPreflight(deps: PreflightDeps): Promise<string[]> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const pending = await pendingMigrations(deps.pool, deps.migrationDirs);
  if (pending.length > 0) {
    problems.push(`DATABASE_URL: the database lacks ${pending.length} migration(s) of this release (${pending.join(', ')}): run spine db migrate`);
  }
  const bucket = await checkBucketAccess(deps.s3, deps.bucket, deps.bucketTimeoutMs ?? 10_000);
  if ('misconfigured' in bucket) problems.push(bucket.misconfigured);
  if ('unreachable' in bucket) warnings.push(bucket.unreachable);
  if (problems.length > 0) throw new ConfigError(problems);
  return warnings;
}

/**
 * Whether the dataset's default source, its publisher's API, answers (its partitions, once, briefly), for a fetch
 * worker to say at start when it does not: a warning naming the setting to check, or undefined. The publisher may be
 * down for an hour; that is no reason not to start.
 */
export async function publisherReachability(pool: Pool, dataset: DatasetDefinition, sources: SourceCatalog, now = new Date()): Promise<string | undefined> {
  const source = dataset.openSource(sources.open(sources.default, { maxAttempts: 1, timeoutMs: 5_000 }));
  try {
    const periods = await loadPeriodCalendar(pool, dataset.period);
    await source.published?.(periods.shift(periods.onOrBefore(toIsoDate(now)), -1));
    return undefined;
  } catch (error) {
    return `${dataset.publisher} did not answer at start: ${sourceJobError(error, sources).message}; fetches from ${sources.default} retry until it does`;
  }
}
