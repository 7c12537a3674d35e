import type { Env, Pool } from '@spine/platform';
import type { EnqueueDeps } from '@spine/orchestration';
import type { PublicationProvider } from '@spine/scheduling';

export interface DashboardDeps {
  env: Env;
  pool: Pool;
  queues: EnqueueDeps;
  sessionSecret: string;
  /** Which weeks each source has published (cached); absent: no week is told apart as not published. */
  publication?: PublicationProvider;
  onLookupError?: (source: string, error: Error) => void;
}
