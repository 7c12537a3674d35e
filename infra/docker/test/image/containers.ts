// podman, as the smoke test drives it: containers of the image under test with the production constraints the chart
// sets (read-only root, a tmpfs /tmp, every capability dropped, no privilege gain), on the host's network so they
// reach this machine's PostgreSQL, Redis, S3 and FINRA stand-in on loopback.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** One podman command to its end; a non-zero exit is returned, not thrown. */
export async function podman(args: string[], timeoutMs = 120_000): Promise<Result> {
  try {
    const { stdout, stderr } = await exec('podman', args, { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== 'number') throw new Error(`podman ${args.join(' ')}: ${e.message}`);
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Like podman(), but a non-zero exit throws with what podman said. */
export async function podmanOk(args: string[], timeoutMs?: number): Promise<string> {
  const result = await podman(args, timeoutMs);
  if (result.code !== 0) throw new Error(`podman ${args.slice(0, 3).join(' ')} ... exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout;
}

const HARDENED = ['--network', 'host', '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'all', '--security-opt', 'no-new-privileges'];

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
}

/** Runs `spine <args>` in a new container to its end and removes it. */
export function runOnce(image: string, env: Record<string, string>, args: string[]): Promise<Result> {
  return podman(['run', '--rm', ...HARDENED, ...envArgs(env), image, ...args]);
}

/** A long-running role of the image, started detached under `name`; remove() takes it away whatever its state. */
export class Container {
  private constructor(readonly name: string) {}

  static async start(image: string, name: string, env: Record<string, string>, args: string[]): Promise<Container> {
    await podman(['rm', '--force', '--ignore', name]);
    await podmanOk(['run', '--detach', '--name', name, ...HARDENED, ...envArgs(env), image, ...args]);
    return new Container(name);
  }

  exec(command: string[]): Promise<Result> {
    return podman(['exec', this.name, ...command]);
  }

  /** `podman healthcheck run` until it reports healthy (the image's HEALTHCHECK; there is no systemd timer here). */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: Result;
    do {
      last = await podman(['healthcheck', 'run', this.name]);
      if (last.code === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    } while (Date.now() < deadline);
    throw new Error(`${this.name} not healthy after ${timeoutMs} ms: ${last.stdout.trim()} ${last.stderr.trim()}\n${await this.logs()}`);
  }

  /** SIGTERM to PID 1, SIGKILL after graceSeconds: the exit code and how long the container took to stop. */
  async stop(graceSeconds: number): Promise<{ exitCode: number; ms: number }> {
    const started = Date.now();
    await podmanOk(['stop', '--time', String(graceSeconds), this.name], (graceSeconds + 30) * 1000);
    const ms = Date.now() - started;
    return { exitCode: Number((await podmanOk(['inspect', '--format', '{{.State.ExitCode}}', this.name])).trim()), ms };
  }

  async logs(): Promise<string> {
    const { stdout, stderr } = await podman(['logs', '--tail', '40', this.name]);
    return `${stdout}${stderr}`;
  }

  async remove(): Promise<void> {
    await podman(['rm', '--force', '--ignore', this.name]);
  }
}
