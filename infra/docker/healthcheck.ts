/**
 * The image's HEALTHCHECK: asks the role's own /readyz on loopback, so one image serves every role.
 * The role is the `spine` command the container runs: argv[2] when given, else read from PID 1's command line
 * (tini -- node .../main.js <role> ...). One-shot roles (db migrate, backfill...) have no server and count as healthy.
 * Exit 0 healthy, 1 not (what Docker expects).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

// Same defaults as libs/platform/src/config.ts; only the ports matter here, so the full schema (and its required
// secrets) is not loaded.
const portsSchema = z.object({
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).default(9464),
  SCHEDULER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).default(9465),
  DASHBOARD_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

const SERVER_ROLES = ['worker', 'scheduler', 'dashboard'] as const;
type ServerRole = (typeof SERVER_ROLES)[number];

/** The first of the spine command names in an argv, e.g. ['tini','--','node','/app/.../main.js','worker'] -> worker. */
export function roleFromArgv(argv: readonly string[]): ServerRole | undefined {
  return argv.find((a): a is ServerRole => (SERVER_ROLES as readonly string[]).includes(a));
}

export function healthUrl(role: ServerRole, env: NodeJS.ProcessEnv): string {
  const ports = portsSchema.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v)));
  const port = { worker: ports.WORKER_HEALTH_PORT, scheduler: ports.SCHEDULER_HEALTH_PORT, dashboard: ports.DASHBOARD_PORT }[role];
  return `http://127.0.0.1:${port}/readyz`;
}

async function main(): Promise<number> {
  const argv = process.argv[2] ? [process.argv[2]] : readFileSync('/proc/1/cmdline', 'utf8').split('\0');
  const role = roleFromArgv(argv);
  if (!role) return 0;
  const res = await fetch(healthUrl(role, process.env), { signal: AbortSignal.timeout(3000) });
  if (res.ok) return 0;
  console.error(`${role}: /readyz answered ${res.status}`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`healthcheck failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
