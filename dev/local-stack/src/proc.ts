import { spawn, type StdioOptions } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** 'capture' (default) collects stdout/stderr for the result and errors; 'stderr' streams both to our stderr. */
  output?: 'capture' | 'stderr';
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a program (no shell) and resolves on exit code 0; otherwise rejects naming the command, exit status and stderr. */
export function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const display = [file, ...args].join(' ');
  const stdio: StdioOptions = options.output === 'stderr' ? ['ignore', 2, 2] : ['ignore', 'pipe', 'pipe'];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env ?? process.env, cwd: options.cwd, stdio, timeout: options.timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (err) => reject(new Error(`could not run \`${display}\`: ${err.message}`, { cause: err })));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      const status = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const detail = (stderr.trim() || stdout.trim()).split('\n').slice(-6).join('\n');
      reject(new Error(`\`${display}\` ${status}${detail ? `: ${detail}` : ''}`));
    });
  });
}

/** Absolute path of an executable found on PATH (plus the sbin directories non-root PATHs often lack), or undefined. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when pid is alive and (where /proc exists) its command line contains `match`, so a recycled pid is never
 * mistaken for a server this tool started.
 */
export function pidMatches(pid: number, match: string): boolean {
  if (!pidAlive(pid)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return process.platform !== 'linux';
  }
  return cmdline.includes(match);
}

/** SIGTERM, wait up to graceMs, then SIGKILL. Resolves to how it ended. */
export async function terminate(pid: number, graceMs = 10_000): Promise<'terminated' | 'killed' | 'not running'> {
  if (!pidAlive(pid)) return 'not running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'not running';
    throw new Error(`could not send SIGTERM to pid ${pid}`, { cause: err });
  }
  if (await waitForExit(pid, graceMs)) return 'terminated';
  process.kill(pid, 'SIGKILL');
  if (await waitForExit(pid, 5_000)) return 'killed';
  throw new Error(`pid ${pid} is still running after SIGKILL`);
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid) || isZombie(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !pidAlive(pid);
}

function isZombie(pid: number): boolean {
  try {
    return /\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The last lines of a log file, for error messages ('' when it does not exist). */
export async function tailFile(file: string, lines = 15): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 8192);
      const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
      return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

export function withLogTail(message: string, logFile: string, tail: string): string {
  return tail ? `${message}; last lines of ${logFile}:\n${tail}` : `${message} (see ${logFile})`;
}
