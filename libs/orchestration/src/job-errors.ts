import { UnrecoverableError } from 'bullmq';
import { configurationFault, transientFault, type TransientReason } from '@spine/platform';

/**
 * What an infrastructure fault came from: a part of the infrastructure, the data source, the job's deadline, its
 * worker shutting down, or a setting (credentials, a bucket, a certificate) that someone has to fix.
 */
export type InfrastructureReason = TransientReason | 'source' | 'deadline' | 'shutdown' | 'configuration';

/** Codes, counts and names that tell an operator what failed; never a secret, a URL or a row of data. */
export type ErrorContext = Readonly<Record<string, string | number>>;

/**
 * A fault that waiting cures (a lost connection, a timeout, a server restarting or overloaded): BullMQ retries the
 * job with backoff. The message starts with `[infrastructure: <detail>]` for people, who read it as text once it
 * has gone through Redis (job.failedReason) and PostgreSQL (core_executions.error); code decides by the class and
 * its reason.
 */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
  readonly context: ErrorContext;

  constructor(readonly reason: InfrastructureReason, detail: string, message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super(`[infrastructure: ${detail}] ${message}`, { cause: options.cause });
    this.context = options.context ?? {};
  }
}

/**
 * A fault that retrying cannot cure (a bad file, a violated rule, a bug): an UnrecoverableError, so BullMQ fails
 * the job without spending its remaining attempts, and a person retries it once the cause is fixed. It keeps
 * BullMQ's error name, which BullMQ checks besides the class; the message starts with `[data]` for people.
 */
export class DataError extends UnrecoverableError {
  override readonly name = 'UnrecoverableError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(`[data] ${message}`);
    // UnrecoverableError takes no options; the cause is set as Error's own constructor would set it.
    if ('cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true, configurable: true });
  }
}

export type JobError = InfrastructureError | DataError;

/** A job ran past its deadline (JOB_DEADLINE_MS): a hung read or a stuck backend, retried like a timeout. */
export class JobDeadlineError extends Error {
  override readonly name = 'JobDeadlineError';
  constructor(readonly deadlineMs: number, what: string) {
    super(`${what} did not finish within its deadline of ${deadlineMs} ms; its work was aborted`);
  }
}

/**
 * A job's work was stopped because its worker shuts down. The job is handed back to its queue (ActiveJobs); should
 * that fail, it is retried like any infrastructure fault.
 */
export class WorkerStoppingError extends Error {
  override readonly name = 'WorkerStoppingError';

  constructor(what: string) {
    super(`${what} was stopped: its worker is shutting down and hands it back to the queue`);
  }
}

/**
 * The error a processor throws for BullMQ, decided by what the error is (its class, code, SQLSTATE or status, here
 * or in its causes), never by its message: an infrastructure fault is an InfrastructureError, anything else a
 * DataError with the original as `cause`. An error already classified passes unchanged, and an UnrecoverableError
 * from elsewhere (BullMQ's own stalled-job failure, a library's) stays final.
 */
export function asJobError(error: unknown): JobError {
  if (error instanceof InfrastructureError || error instanceof DataError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError')) return new DataError(message, { cause: error });
  if (error instanceof JobDeadlineError) {
    return new InfrastructureError('deadline', `deadline of ${error.deadlineMs} ms`, message, { cause: error, context: { deadline_ms: error.deadlineMs } });
  }
  if (error instanceof WorkerStoppingError) return new InfrastructureError('shutdown', 'worker shutting down', message, { cause: error });
  // A setting at fault is no fault of the data: retried, so that the jobs go through once someone fixed it.
  const misconfigured = configurationFault(error);
  if (misconfigured) {
    return new InfrastructureError('configuration', `configuration: ${misconfigured.detail}`, `${message}; check ${misconfigured.settings}`,
      { cause: error, context: misconfigured.context });
  }
  const fault = transientFault(error);
  if (fault) return new InfrastructureError(fault.reason, fault.detail, message, { cause: error, context: fault.context });
  return new DataError(message, { cause: error });
}

/** What a log line says about a job's error besides its message: its kind, and an infrastructure fault's reason and context. */
export function jobErrorFields(error: unknown): { kind?: 'infrastructure' | 'data'; reason?: InfrastructureReason; context?: ErrorContext } {
  if (error instanceof InfrastructureError) return { kind: 'infrastructure', reason: error.reason, context: error.context };
  if (error instanceof DataError) return { kind: 'data' };
  return {};
}
