import { parseTier } from '@spine/otc/tiers';
import { z } from 'zod';
import type { PublishedWeeks } from '../source.ts';
import { weekEndingFromStart } from '../week-dates.ts';
import { FinraResponseError } from './errors.ts';

/**
 * GET Partitions (developer.finra.org/get-partitions): `partitionFields` names the columns of each entry of
 * `availablePartitions` (weeklySummary: weekStartDate, tierIdentifier). A dataset without partitions answers 200
 * with a status body instead ("No partitions found for specified dataset.").
 */
const partitionsSchema = z.union([
  z.object({ partitionFields: z.array(z.string()), availablePartitions: z.array(z.object({ partitions: z.array(z.string()) })) }),
  z.object({ statusCode: z.number(), message: z.string() }).transform(() => ({ partitionFields: [] as string[], availablePartitions: [] as { partitions: string[] }[] })),
]);

/** `<tier> <week_ending>` keys of the weeks one or more partitions answers list. */
export class PartitionWeeks implements PublishedWeeks {
  readonly #keys = new Set<string>();
  readonly where: string;

  constructor(where: string) {
    this.where = where;
  }

  /** Adds the weeks of one answer; an answer that is not the documented shape is a source error. */
  add(json: unknown, url: string): void {
    const parsed = partitionsSchema.safeParse(json);
    if (!parsed.success) throw new FinraResponseError(url, `not a partitions answer: ${z.prettifyError(parsed.error)}`, false);
    const { partitionFields, availablePartitions } = parsed.data;
    if (availablePartitions.length === 0) return;
    const weekAt = partitionFields.indexOf('weekStartDate');
    const tierAt = partitionFields.indexOf('tierIdentifier');
    if (weekAt < 0 || tierAt < 0) {
      throw new FinraResponseError(url, `partitionFields ${JSON.stringify(partitionFields)} lack weekStartDate or tierIdentifier`, false);
    }
    for (const { partitions } of availablePartitions) {
      const tier = parseTier(partitions[tierAt] ?? '');
      let weekEnding: string;
      try {
        weekEnding = weekEndingFromStart(partitions[weekAt] ?? '');
      } catch {
        throw new FinraResponseError(url, `partition ${JSON.stringify(partitions)} has no Monday weekStartDate`, false);
      }
      if (tier) this.#keys.add(`${tier} ${weekEnding}`);
    }
  }

  has(tier: string, weekEnding: string): boolean {
    return this.#keys.has(`${tier} ${weekEnding}`);
  }

  get size(): number {
    return this.#keys.size;
  }
}
