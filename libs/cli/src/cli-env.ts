import type { z } from 'zod';
import { envSchema, parseEnv } from '@spine/platform/config';
import { finraEnvShape } from '@spine/finra-source/finra-env';
import { orchestrationEnvShape } from '@spine/orchestration/orchestration-env';
import { workerEnvShape } from '@spine/worker/worker-env';
import { schedulerEnvShape } from '@spine/scheduler/scheduler-env';
import { dashboardEnvShape } from '@spine/dashboard/dashboard-env';

/**
 * Every variable of every package: the CLI runs each of them (`spine worker`, `spine scheduler`, `spine dashboard`),
 * and checks the whole environment before any command, so a bad variable stops every command with one line naming it
 * (exit 2) instead of surfacing in whichever command happens to read it.
 */
export const cliEnvSchema = envSchema.extend({ ...finraEnvShape, ...orchestrationEnvShape, ...workerEnvShape, ...schedulerEnvShape, ...dashboardEnvShape });
export type CliEnv = z.output<typeof cliEnvSchema>;

export function loadCliEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  return parseEnv(cliEnvSchema, source);
}
