import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The monorepo root (this file lives in dev/local-stack/src). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where state.json, pidfiles, logs and s3rver data live: option, then SPINE_STACK_DIR, then <repo>/.stack. */
export function resolveStateDir(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = option ?? nonEmpty(env.SPINE_STACK_DIR) ?? path.join(repoRoot, '.stack');
  return path.resolve(chosen);
}

/** Environment values that are empty count as unset (same rule as @spine/platform's loadEnv). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
