import { S3RVER_CREDENTIALS } from './s3.ts';
import { ENV_KEYS, type StackEnvKey } from './stack.ts';

export interface PrintableEnv {
  /** KEY/value pairs safe to print: local development values only. */
  entries: Array<[StackEnvKey, string]>;
  /** Keys left out because their value is a secret the caller supplied (it is already in their environment). */
  withheld: StackEnvKey[];
}

/**
 * Splits the settled environment into what may be printed and what must not: the only secrets printed are the local
 * development ones this tool chose itself (s3rver's S3RVER/S3RVER; local URLs carry no password). A secret key or a
 * URL with a password supplied through the environment is withheld.
 */
export function printableEnv(env: Record<StackEnvKey, string>): PrintableEnv {
  const result: PrintableEnv = { entries: [], withheld: [] };
  for (const key of ENV_KEYS) {
    const value = env[key];
    const secret =
      (key === 'S3_SECRET_ACCESS_KEY' && value !== S3RVER_CREDENTIALS.secretAccessKey) || urlHasPassword(value);
    if (secret) result.withheld.push(key);
    else result.entries.push([key, value]);
  }
  return result;
}

function urlHasPassword(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}

/** KEY=VALUE lines usable with `eval`, `set -a; . file`, docker --env-file (values single-quoted only when needed). */
export function toShellLines(entries: Array<[string, string]>): string {
  return entries.map(([key, value]) => `${key}=${shellQuote(value)}\n`).join('');
}

export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
