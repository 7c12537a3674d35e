import type { InstallPolicy } from './apt.ts';
import type { ServiceName } from './errors.ts';
import type { Log } from './log.ts';
import type { StateFile } from './state-file.ts';

/** Shared inputs for the per-service modules. */
export interface ServiceContext {
  env: NodeJS.ProcessEnv;
  stateDir: string;
  state: StateFile;
  log: Log;
  install: InstallPolicy;
}

/** How a service was settled: taken from an env var, found answering on its port, or started by this command. */
export type ServiceSource = 'env' | 'found' | 'started';

export interface ServiceOutcome {
  service: ServiceName;
  source: ServiceSource;
  /** Where it answers (secrets redacted). */
  location: string;
  detail: string;
}

/** For a server found on its port: whether an earlier `npm run stack` started it (so --down would stop it). */
export async function foundDetail(ctx: ServiceContext, service: ServiceName, url: string): Promise<string> {
  const ours = (await ctx.state.alive()).find((e) => e.service === service && e.url === url);
  return ours ? `started earlier by npm run stack (pid ${ours.pid}); --down stops it` : 'not started by this command; left alone by --down';
}
