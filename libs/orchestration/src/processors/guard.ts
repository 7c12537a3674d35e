import { asJobError } from '../job-errors.ts';
import { withJobDeadline } from '../job-deadline.ts';

/**
 * How every processor runs its work: under the job deadline when one is given and stopped when its worker stops
 * (withJobDeadline), and with whatever it throws classified (asJobError), so BullMQ retries infrastructure faults
 * with backoff and fails data errors at once.
 */
export async function guardJob<T>(deadlineMs: number | undefined, what: string, work: (signal: AbortSignal | undefined) => Promise<T>, stop?: AbortSignal): Promise<T> {
  try {
    return deadlineMs === undefined && stop === undefined ? await work(undefined) : await withJobDeadline(deadlineMs, what, work, stop);
  } catch (error) {
    throw asJobError(error);
  }
}
