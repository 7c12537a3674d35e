import type { JobState } from 'bullmq';
import { DataError } from './job-errors.ts';

export type FailureCause = 'unrecoverable' | 'stalled' | 'attempts_exhausted';

export interface FailureFacts {
  error: { name: string; message: string };
  attemptsMade: number;
  /** The job's attempts option (BullMQ's default is 1). */
  attempts: number | undefined;
  /** The job's state read after the failure, or 'unknown' when the job is gone (removed on failure). */
  state: JobState | 'unknown';
}

export interface FailureVerdict {
  final: boolean;
  cause?: FailureCause;
}

/**
 * BullMQ fails a job that stalled more than maxStalledCount times with an UnrecoverableError of this message,
 * attempts left or not; no class of its own tells it from another UnrecoverableError, only this text.
 */
const STALLED = /stalled more than allowable limit/i;

function causeOf(facts: FailureFacts): FailureCause {
  if (facts.error instanceof DataError) return 'unrecoverable';
  if (STALLED.test(facts.error.message)) return 'stalled';
  if (facts.error.name === 'UnrecoverableError') return 'unrecoverable';
  return 'attempts_exhausted';
}

/**
 * Whether a failed attempt is the job's last. The state decides when it is known: BullMQ leaves a job it will
 * retry `delayed` or `waiting`, and only a job failed for good `failed`, which covers every reason (attempts used
 * up, an UnrecoverableError, stalling out) whatever attemptsMade says. A job already removed falls back on the
 * error and the attempt count.
 */
export function decideFailure(facts: FailureFacts): FailureVerdict {
  if (facts.state === 'failed') return { final: true, cause: causeOf(facts) };
  if (facts.state !== 'unknown') return { final: false };
  const cause = causeOf(facts);
  if (cause !== 'attempts_exhausted' || facts.attemptsMade >= (facts.attempts ?? 1)) return { final: true, cause };
  return { final: false };
}
