import type { SourceAccess } from './partition-source.ts';

/** The most a lookup that only refines what is done may spend on a source: its attempts, and each one's timeout. */
export interface LookupLimits {
  maxAttempts: number;
  timeoutMs: number;
}

/**
 * A source's verdict on an error it raised: `transient`, waiting may cure it; `configuration`, a setting is wrong
 * (`detail` says which, `message` what to check); `final`, asking again gets the same answer. `context` holds codes,
 * counts and names for the log, never a secret or a URL.
 */
export type SourceFailure =
  | { kind: 'transient' | 'configuration'; detail: string; message: string; context: Readonly<Record<string, string | number>> }
  | { kind: 'final'; message: string };

/**
 * The sources a process may read, as the source package knows them: the forms of a source spec, the protocols they
 * reach, this process's allow-lists and what a failure of each means. Orchestration, scheduling and the apps ask it
 * about a spec and never speak a protocol themselves; the process builds one and hands it to them.
 */
export interface SourceCatalog {
  /** The spec of a request that names none: the publisher's API. */
  readonly default: string;
  /**
   * Where a person asks for a source (a backfill, a schedule): the spec to store, or an InputError saying in one line
   * why not (a malformed spec, or one the allow-lists refuse).
   */
  requested(spec: string): string;
  /** What a spec reaches, without reaching it; a malformed spec throws. */
  kind(spec: string): SourceAccess['kind'];
  /**
   * What a spec reaches, for a dataset's `openSource`. A source the allow-lists refuse throws, the job that asked for
   * it cannot succeed however often it is retried; `limits` caps the attempts and timeout of an API's requests.
   */
  open(spec: string, limits?: LookupLimits): SourceAccess;
  /** The verdict on an error a source raised; undefined for an error that is not a source's own. */
  classify(error: unknown): SourceFailure | undefined;
}
