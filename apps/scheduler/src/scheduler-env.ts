import * as z from 'zod';
import { secretEnv, urlEnv } from '@spine/platform/config';
import { finraEnvShape } from '@spine/finra-source/finra-env';
import { orchestrationEnvSchema } from '@spine/orchestration/orchestration-env';

/** The scheduler's own variables: its tick, its leader lease, its health port, revision checks and alerts. */
export const schedulerEnvShape = {
  RECONCILE_ON_TICK: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  SCHEDULER_CRON: z.string().min(9, 'a cron expression such as "* * * * *"').default('* * * * *'),
  SCHEDULER_LEASE_TTL_MS: z.coerce.number().int().min(1000).default(90_000),
  SCHEDULER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  REVISION_CHECK_HOURS: z.coerce.number().min(0).default(24),
  // A secret as a whole: a webhook's URL is its credential.
  ALERT_WEBHOOK_URL: secretEnv(urlEnv(['http:', 'https:']).optional()),
};

/** What the scheduler reads: the shared variables, the queues' (it enqueues), FINRA's (publication checks) and its own. */
export const schedulerEnvSchema = orchestrationEnvSchema.extend({ ...finraEnvShape, ...schedulerEnvShape });
export type SchedulerEnv = z.output<typeof schedulerEnvSchema>;
