import type { Command } from 'commander';
import { InputError, loadEnv } from '@spine/platform';
import { parsePort, stopSignal } from '../runtime.ts';

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('serve Bull Board, the operations views and the API (port DASHBOARD_PORT) until SIGTERM or SIGINT')
    .option('--port <port>', 'listen port (default DASHBOARD_PORT, 3000; 0 picks a free one)')
    .action(async (opts: { port?: string }) => {
      const env = loadEnv();
      const port = parsePort(opts.port, '--port');
      if (!env.DASHBOARD_ADMIN_PASSWORD) throw new InputError('set DASHBOARD_ADMIN_PASSWORD (and DASHBOARD_VIEWER_PASSWORD for a read-only user) before starting the dashboard');
      const stopRequested = stopSignal();
      const { startDashboard } = await import('@spine/dashboard');
      const handle = await startDashboard(env, { port });
      await stopRequested;
      await handle.close();
    });
}
