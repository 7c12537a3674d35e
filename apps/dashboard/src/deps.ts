import type { Pool, SourceCatalog } from '@spine/platform';
import type { DashboardEnv } from './dashboard-env.ts';
import type { EnqueueDeps } from '@spine/orchestration';
import type { PublicationProvider } from '@spine/scheduling';

export interface DashboardDeps {
  env: DashboardEnv;
  pool: Pool;
  queues: EnqueueDeps;
  /** The sources a backfill may name (this process's allow-lists) and ask which weeks are published. */
  sources: SourceCatalog;
  sessionSecret: string;
  /** Which weeks each source has published (cached); absent: no week is told apart as not published. */
  publication?: PublicationProvider;
  onLookupError?: (source: string, error: Error) => void;
}
