import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SPINE_BIN = fileURLToPath(new URL('../../../libs/cli/bin/spine.mjs', import.meta.url));

export interface WorkerChild {
  proc: ChildProcess;
  /** Everything the worker wrote so far (its JSON log lines). */
  output(): string;
  /** Sends the signal (SIGTERM drains gracefully) and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `spine worker` as a child process and resolves once it logged that it is taking jobs. Log lines at warn
 * and above are passed to `onLog` as they come (the demo shows them; tests keep them for failure messages).
 */
export async function spawnWorker(env: NodeJS.ProcessEnv, args: string[] = [], onLog?: (line: string) => void): Promise<WorkerChild> {
  const proc = spawn(process.execPath, [SPINE_BIN, 'worker', ...args], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let started = false;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const collect = (data: Buffer) => {
    const text = data.toString();
    log += text;
    for (const line of text.split('\n')) {
      if (!started && line.includes('"msg":"worker started"')) started = true;
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
        reject(new Error(`worker exited during start-up:\n${log.slice(-4000)}`));
      }
    }, 50);
    setTimeout(() => {
      clearInterval(timer);
      if (!started) reject(new Error(`worker did not start within 30 s:\n${log.slice(-4000)}`));
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
