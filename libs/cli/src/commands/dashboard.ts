import type { Command } from 'commander';
import { InputError } from '@spine/platform/errors';
import { announcePort, parsePort, printJson, stopSignal, withRuntime } from '../runtime.ts';

export function registerDashboard(program: Command): void {
  const dashboard = program
    .command('dashboard')
    .description('serve Bull Board, the operations views and the API (port DASHBOARD_PORT) until SIGTERM or SIGINT')
    .option('--port <port>', 'listen port (default DASHBOARD_PORT, 3000; 0 picks a free one)')
    .action(async (opts: { port?: string }) => {
      const { loadCliEnv } = await import('../cli-env.ts');
      const env = loadCliEnv();
      const port = parsePort(opts.port, '--port');
      if (!env.DASHBOARD_ADMIN_PASSWORD) throw new InputError('set DASHBOARD_ADMIN_PASSWORD (and DASHBOARD_VIEWER_PASSWORD for a read-only user) before starting the dashboard');
      const stopRequested = stopSignal();
      const { startDashboard } = await import('@spine/dashboard');
      const handle = await startDashboard(env, { port });
      await announcePort('dashboard', handle.port);
      await stopRequested;
      await handle.close();
    });
  dashboard
    .command('revoke-sessions')
    .description('end every dashboard session, on every replica: everyone signs in again (basic auth is unaffected)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) =>
      withRuntime(async ({ pool }) => {
        const { revokeAllSessions } = await import('@spine/dashboard');
        const result = await revokeAllSessions(pool);
        if (opts.json) return printJson(result);
        process.stdout.write(`ended every dashboard session issued before ${result.revoked_at.toISOString()} (session generation ${result.generation})\n`);
      }),
    );
}
