import type { LookupLimits, SourceAccess, SourceCatalog } from '@spine/platform';
import type { FinraApiOptions } from './finra-api/options.ts';
import { finraApiOptionsFromProcessEnv } from './finra-env.ts';
import { parseSourceSpec, sourceAccess, type SourceAccessOptions, type SourceSpec } from './source-access.ts';
import { assertSourceAllowed, requestedSource, sourceAllowListFromEnv, type SourceAllowList } from './source-allow-list.ts';
import { classifySourceError } from './source-failure.ts';

const KINDS: Record<SourceSpec['kind'], SourceAccess['kind']> = { finra: 'api', dir: 'dir', s3: 's3' };

export interface SourceCatalogOptions extends SourceAccessOptions {
  /** This process's allow-lists (sourceAllowListFromEnv): a source outside them is neither accepted nor opened. */
  allow: SourceAllowList;
}

/**
 * The sources this process may read, for what runs datasets (SourceCatalog): FINRA's Query API, the default, and
 * the directories and buckets the allow-lists hold, reached with the given FINRA options, S3 client and size cap.
 */
export function sourceCatalog({ allow, ...access }: SourceCatalogOptions): SourceCatalog {
  return {
    default: 'finra',
    requested: (spec) => requestedSource(spec, allow),
    kind: (spec) => KINDS[parseSourceSpec(spec).kind],
    open: (spec, limits) => {
      assertSourceAllowed(spec, allow);
      return sourceAccess(spec, limits ? { ...access, finraApi: capped(access.finraApi ?? finraApiOptionsFromProcessEnv(), limits) } : access);
    },
    classify: classifySourceError,
  };
}

/**
 * The catalog of a process that asks the publisher's API which periods it published (the scheduler, the dashboard,
 * `spine lag`, `spine scheduler tick`): the API's settings are read now, so a bad one stops the process or command at
 * its start instead of failing every lookup, which the lookups' callers log and pass over.
 */
export function publishingSourceCatalog(env: Parameters<typeof sourceAllowListFromEnv>[0]): SourceCatalog {
  return sourceCatalog({ allow: sourceAllowListFromEnv(env), finraApi: finraApiOptionsFromProcessEnv() });
}

/** The client's options with no more attempts and no longer a timeout than the limits allow. */
function capped(finraApi: FinraApiOptions, limits: LookupLimits): FinraApiOptions {
  return {
    ...finraApi,
    maxAttempts: Math.min(limits.maxAttempts, finraApi.maxAttempts ?? limits.maxAttempts),
    timeoutMs: Math.min(limits.timeoutMs, finraApi.timeoutMs ?? limits.timeoutMs),
  };
}
