import * as z from 'zod';
import { credentialUrlEnv, secretEnv, urlEnv } from '@spine/platform/config';
import { finraApiOptionsFromEnv } from './finra-api/options.ts';
import type { ResolvedFinraApiOptions } from './finra-api/options.ts';

/**
 * FINRA's connection settings, checked with the rest of a process's environment at start-up (a process that reads
 * FINRA extends its schema with these): a bad one stops the process with one line naming it, before any fetch.
 * The client's tuning variables (FINRA_PAGE_SIZE, FINRA_TIMEOUT_MS...) are read where the client is made.
 */
export const finraEnvShape = {
  FINRA_BASE_URL: credentialUrlEnv(urlEnv(['http:', 'https:']).default('https://api.finra.org')),
  FINRA_TOKEN_URL: credentialUrlEnv(urlEnv(['http:', 'https:']).optional()),
  FINRA_CLIENT_ID: z.string().min(1).optional(),
  FINRA_CLIENT_SECRET: secretEnv(z.string().min(1).optional()),
};

/** The Query API client's options from this process's environment (finraApiEnvSchema). */
export function finraApiOptionsFromProcessEnv(): ResolvedFinraApiOptions {
  return finraApiOptionsFromEnv(process.env);
}
