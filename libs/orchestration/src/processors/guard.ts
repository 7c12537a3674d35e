import { asJobError } from '../job-errors.ts';
import { withJobDeadline } from '../job-deadline.ts';

/**
 * How every stage-queue processor runs its work: under the job deadline when one is given, and with whatever it
 * throws classified (asJobError), so BullMQ retries infrastructure faults with backoff and fails data errors at once.
 */
export async function guardJob<T>(deadlineMs: number | undefined, what: string, work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  try {
    return deadlineMs === undefined ? await work(undefined) : await withJobDeadline(deadlineMs, what, work);
  } catch (error) {
    throw asJobError(error);
  }
}
