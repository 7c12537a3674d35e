import type { Env, Pool } from '@spine/platform';
import type { EnqueueDeps } from '@spine/orchestration';

export interface DashboardDeps {
  env: Env;
  pool: Pool;
  queues: EnqueueDeps;
  sessionSecret: string;
}
