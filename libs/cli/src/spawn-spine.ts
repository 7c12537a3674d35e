import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SPINE_BIN = fileURLToPath(new URL('../bin/spine.mjs', import.meta.url));

export interface SpineChild {
  proc: ChildProcess;
  /** Everything the process wrote so far (its JSON log lines). */
  output(): string;
  /** Sends the signal (SIGTERM drains gracefully) and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a long-running `spine` command (`worker`, `scheduler`) as a child process and resolves once it logged its
 * start message. Log lines at warn and above go to `onLog` as they come (the demo shows them).
 */
export async function spawnSpine(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { startedMessage: string; onLog?: (line: string) => void },
): Promise<SpineChild> {
  const { onLog } = options;
  const proc = spawn(process.execPath, [SPINE_BIN, ...args], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let started = false;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const collect = (data: Buffer) => {
    const text = data.toString();
    log += text;
    for (const line of text.split('\n')) {
      if (!started && line.includes(`"msg":"${options.startedMessage}"`)) started = true;
      if (onLog && /"level":(4|5|6)\d/.test(line)) onLog(line);
    }
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (started) {
        clearInterval(timer);
        resolve();
      } else if (proc.exitCode !== null || proc.signalCode !== null) {
        clearInterval(timer);
        reject(new Error(`spine ${args.join(' ')} exited during start-up:\n${log.slice(-4000)}`));
      }
    }, 50);
    setTimeout(() => {
      clearInterval(timer);
      if (!started) reject(new Error(`spine ${args.join(' ')} did not start within 30 s:\n${log.slice(-4000)}`));
    }, 30_000).unref();
  });
  return {
    proc,
    output: () => log,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export function spawnWorker(env: NodeJS.ProcessEnv, args: string[] = [], onLog?: (line: string) => void): Promise<SpineChild> {
  return spawnSpine(['worker', ...args], env, { startedMessage: 'worker started', onLog });
}
