import * as z from 'zod';
import type { RetryEvent } from './http-retry.ts';

export const FINRA_BASE_URL = 'https://api.finra.org';
/** FINRA's OAuth2 token endpoint (FINRA API Developer Center, "API Platform Basics"). */
export const FINRA_TOKEN_URL = 'https://ews.fip.finra.org/fip/rest/ews/oauth2/access_token';
/** The Query API's largest page (Platform Usage Limits). */
export const FINRA_MAX_PAGE_SIZE = 5000;
/** FINRA throttles synchronous requests at 20 per second per IP address (Platform Usage Limits). */
export const FINRA_REQUESTS_PER_SECOND = 20;


/** Options of the Query API client; the defaults are those filled in by the schema. */
export const finraApiOptionsSchema = z
  .object({
    baseUrl: z.url().default(FINRA_BASE_URL),
    /** Defaults to FINRA_TOKEN_URL; point it at the stand-in's /oauth2/token in tests and demos. */
    tokenUrl: z.url().default(FINRA_TOKEN_URL),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    pageSize: z.number().int().min(1).max(FINRA_MAX_PAGE_SIZE).default(FINRA_MAX_PAGE_SIZE),
    /** Per process; see FINRA_REQUESTS_PER_SECOND. */
    requestsPerSecond: z.number().positive().max(1000).default(FINRA_REQUESTS_PER_SECOND),
    /** An answer larger than this is refused unread; FINRA's own pages stop at 3 MB. */
    maxPageBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
    maxAttempts: z.number().int().min(1).default(6),
    baseDelayMs: z.number().min(0).default(1000),
    maxDelayMs: z.number().min(0).default(60_000),
    timeoutMs: z.number().int().positive().default(60_000),
  })
  .refine((options) => (options.clientId === undefined) === (options.clientSecret === undefined), {
    message: 'clientId and clientSecret go together: give both for OAuth2, or neither for anonymous access',
  });

/** What is not data: callbacks and the clock. */
interface FinraApiHooks {
  /** Called before each wait between attempts, e.g. to log the failure. */
  onRetry?: (event: RetryEvent) => void;
  /** Today, for a dataset's mapping that depends on the date (OTC's: the current or the historic dataset); tests pin it. */
  now?: () => Date;
}
export type FinraApiOptions = z.input<typeof finraApiOptionsSchema> & FinraApiHooks;
export type ResolvedFinraApiOptions = z.output<typeof finraApiOptionsSchema> & FinraApiHooks;

/** `FOO=` in an env file means unset, not an empty value. */
function unsetWhenEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

/** Builds FinraApiOptions from environment variables; unset variables leave the defaults. */
export const finraApiEnvSchema = z
  .object({
    FINRA_BASE_URL: unsetWhenEmpty(z.url()),
    FINRA_TOKEN_URL: unsetWhenEmpty(z.url()),
    FINRA_CLIENT_ID: unsetWhenEmpty(z.string()),
    FINRA_CLIENT_SECRET: unsetWhenEmpty(z.string()),
    FINRA_PAGE_SIZE: unsetWhenEmpty(z.coerce.number().int().min(1).max(FINRA_MAX_PAGE_SIZE)),
    // Each week now names its venue type, which decides the summary type: a leftover setting would be ignored silently.
    FINRA_SUMMARY_TYPE: unsetWhenEmpty(z.never({ error: 'FINRA_SUMMARY_TYPE is no longer read: every job names its venue type (ATS or NON_ATS), which decides the summary type; remove the variable' })),
    FINRA_REQUESTS_PER_SECOND: unsetWhenEmpty(z.coerce.number().positive().max(1000)),
    FINRA_MAX_PAGE_BYTES: unsetWhenEmpty(z.coerce.number().int().min(1024)),
    FINRA_MAX_ATTEMPTS: unsetWhenEmpty(z.coerce.number().int().min(1)),
    FINRA_TIMEOUT_MS: unsetWhenEmpty(z.coerce.number().int().positive()),
  })
  .refine((env) => (env.FINRA_CLIENT_ID === undefined) === (env.FINRA_CLIENT_SECRET === undefined), {
    message: 'FINRA_CLIENT_ID and FINRA_CLIENT_SECRET go together: set both for OAuth2, or neither',
  })
  .transform(
    (env): FinraApiOptions => ({
      baseUrl: env.FINRA_BASE_URL,
      tokenUrl: env.FINRA_TOKEN_URL,
      clientId: env.FINRA_CLIENT_ID,
      clientSecret: env.FINRA_CLIENT_SECRET,
      pageSize: env.FINRA_PAGE_SIZE,
      requestsPerSecond: env.FINRA_REQUESTS_PER_SECOND,
      maxPageBytes: env.FINRA_MAX_PAGE_BYTES,
      maxAttempts: env.FINRA_MAX_ATTEMPTS,
      timeoutMs: env.FINRA_TIMEOUT_MS,
    }),
  )
  .pipe(finraApiOptionsSchema);

/** Throws one readable message listing every bad variable. */
export function finraApiOptionsFromEnv(env: Record<string, string | undefined>): ResolvedFinraApiOptions {
  const parsed = finraApiEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid FINRA API settings in the environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
