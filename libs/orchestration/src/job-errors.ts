import { UnrecoverableError } from 'bullmq';
import { transientReason } from '@spine/platform';

/**
 * `infrastructure`: the connection, a timeout, a server restarting or overloaded; waiting cures it, so the job is
 * retried with backoff. `data`: anything else (a bad file, a violated rule, a bug); retrying cannot cure it, so the
 * job fails at once and a person retries it once the cause is fixed.
 */
export type JobErrorKind = 'infrastructure' | 'data';

export interface JobErrorClass {
  kind: JobErrorKind;
  /** Why it is infrastructure (`PostgreSQL SQLSTATE 57P01`, `HTTP 503`, ...), or that nothing made it so. */
  reason: string;
}

const TAG = /^\[(infrastructure|data)(: [^\]]*)?\] /;

/** Decides whether an error a job threw is worth retrying. */
export function classifyJobError(error: unknown): JobErrorClass {
  if (error instanceof JobDeadlineError) return { kind: 'infrastructure', reason: `deadline of ${error.deadlineMs} ms` };
  const transient = transientReason(error);
  if (transient) return { kind: 'infrastructure', reason: transient };
  return { kind: 'data', reason: 'not a connection, timeout or server error' };
}

/**
 * The error a processor throws for BullMQ: its message starts with the kind (`[infrastructure: HTTP 503] ...`,
 * `[data] ...`), and a data error is an UnrecoverableError, so BullMQ fails the job without spending its
 * remaining attempts. The original error stays as `cause`. An error already classified passes unchanged.
 */
export function asJobError(error: unknown): Error {
  if (error instanceof Error && TAG.test(error.message)) return error;
  const message = error instanceof Error ? error.message : String(error);
  // BullMQ's own stalled-job failures and errors already marked unrecoverable stay final.
  if (error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError')) {
    return withCause(new UnrecoverableError(`[data] ${message}`), error);
  }
  const { kind, reason } = classifyJobError(error);
  if (kind === 'infrastructure') return withCause(new Error(`[infrastructure: ${reason}] ${message}`), error);
  return withCause(new UnrecoverableError(`[data] ${message}`), error);
}

function withCause<E extends Error>(wrapped: E, cause: unknown): E {
  Object.defineProperty(wrapped, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  return wrapped;
}

/** A job ran past its deadline (JOB_DEADLINE_MS): a hung read or a stuck backend, retried like a timeout. */
export class JobDeadlineError extends Error {
  override readonly name = 'JobDeadlineError';
  constructor(readonly deadlineMs: number, what: string) {
    super(`${what} did not finish within its deadline of ${deadlineMs} ms; its work was aborted`);
  }
}
