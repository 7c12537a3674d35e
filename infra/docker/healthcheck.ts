/**
 * The image's HEALTHCHECK: asks the role's own /readyz on loopback, so one image serves every role.
 * The role is the `spine` command the container runs: argv[2] when given, else read from PID 1's command line
 * (tini -- node .../main.js <role> ...). One-shot roles (db migrate, backfill...) have no server and count as healthy.
 * The port is the one the role's process bound and wrote to its port file (libs/platform/src/http/port-file.ts),
 * whatever chose it (the environment, --port / --health-port, port 0); before it has written one, the environment's.
 * Exit 0 healthy, 1 not (what Docker expects).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

// Same defaults as libs/platform/src/config.ts; only the ports matter here, so the full schema (and its required
// secrets) is not loaded.
const portsSchema = z.object({
  WORKER_HEALTH_PORT: port.default(9464),
  SCHEDULER_HEALTH_PORT: port.default(9465),
  DASHBOARD_PORT: port.default(3000),
});

const SERVER_ROLES = ['worker', 'scheduler', 'dashboard'] as const;
type ServerRole = (typeof SERVER_ROLES)[number];

/** The first of the spine command names in an argv, e.g. ['tini','--','node','/app/.../main.js','worker'] -> worker. */
export function roleFromArgv(argv: readonly string[]): ServerRole | undefined {
  return argv.find((a): a is ServerRole => (SERVER_ROLES as readonly string[]).includes(a));
}

/** The port in the role's port file (`<dir>/spine-<role>.port`, as writePortFile names it), or undefined without one. */
export function portFromFile(role: ServerRole, dir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, `spine-${role}.port`), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = port.safeParse(text.trim());
  if (!parsed.success) throw new Error(`${join(dir, `spine-${role}.port`)} holds no port: "${text.trim().slice(0, 40)}"`);
  return parsed.data;
}

/** The role's /readyz: on the port its process wrote to its port file in `dir` (the process's tmpdir), else the environment's. */
export function healthUrl(role: ServerRole, env: NodeJS.ProcessEnv, dir = tmpdir()): string {
  const written = portFromFile(role, dir);
  if (written !== undefined) return `http://127.0.0.1:${written}/readyz`;
  const ports = portsSchema.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v)));
  const configured = { worker: ports.WORKER_HEALTH_PORT, scheduler: ports.SCHEDULER_HEALTH_PORT, dashboard: ports.DASHBOARD_PORT }[role];
  return `http://127.0.0.1:${configured}/readyz`;
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
