import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

export const SPINE_BIN = fileURLToPath(new URL('../../libs/cli/bin/spine.mjs', import.meta.url));
/** `npm run demo`'s entry point (a development workspace, not a `spine` command), run through tsx as the script does. */
export const DEMO_MAIN = fileURLToPath(new URL('../../dev/demo/src/main.ts', import.meta.url));

export interface SpineRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one `spine` command to its end as a user would, with `env` over this process's environment. The variables in
 * `unset` are removed first, so a default (the quality gate, a missing password) is what the command sees.
 */
export async function runSpine(args: string[], env: Record<string, string>, unset: string[] = []): Promise<SpineRun> {
  return runNode([SPINE_BIN, ...args], env, unset);
}

/** runSpine with flags for node itself before the CLI (`--import <hook>`). */
export async function runSpineUnder(nodeFlags: string[], args: string[], env: Record<string, string>): Promise<SpineRun> {
  return runNode([...nodeFlags, SPINE_BIN, ...args], env, []);
}

/** Runs `npm run demo -- <args>` to its end as runSpine runs a command (without the script's `npm install`). */
export async function runDemo(args: string[], env: Record<string, string>, unset: string[] = []): Promise<SpineRun> {
  return runNode(['--import', 'tsx', DEMO_MAIN, ...args], env, unset);
}

async function runNode(nodeArgs: string[], env: Record<string, string>, unset: string[]): Promise<SpineRun> {
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const name of unset) delete full[name];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, nodeArgs, { env: full });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
