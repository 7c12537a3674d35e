import { weekEndingFromStart } from '@spine/platform/time/week-ending';
import type { PartitionsAnswer } from '@spine/platform/sources/query-api';
import { parseTier } from '../tiers.ts';

/**
 * `<tier> <week_ending>` keys of the weeks one or more partitions answers list (weeklySummary's partitionFields:
 * weekStartDate, tierIdentifier).
 */
export class PartitionWeeks {
  readonly #keys = new Set<string>();
  readonly #urls: string[] = [];

  /** Adds the weeks of one answer; an answer that does not say week and tier is a source error. */
  add(answer: PartitionsAnswer): void {
    this.#urls.push(answer.url);
    const { partitionFields, partitions } = answer;
    if (partitions.length === 0) return;
    const weekAt = partitionFields.indexOf('weekStartDate');
    const tierAt = partitionFields.indexOf('tierIdentifier');
    if (weekAt < 0 || tierAt < 0) {
      throw answer.invalid(`partitionFields ${JSON.stringify(partitionFields)} lack weekStartDate or tierIdentifier`);
    }
    for (const partition of partitions) {
      const tier = parseTier(partition[tierAt] ?? '');
      let weekEnding: string;
      try {
        weekEnding = weekEndingFromStart(partition[weekAt] ?? '');
      } catch {
        throw answer.invalid(`partition ${JSON.stringify(partition)} has no Monday weekStartDate`);
      }
      if (tier) this.#keys.add(`${tier} ${weekEnding}`);
    }
  }

  has(tier: string, weekEnding: string): boolean {
    return this.#keys.has(`${tier} ${weekEnding}`);
  }

  /** The partitions URLs asked, for messages. */
  get where(): string {
    return this.#urls.join(' and ');
  }

  get size(): number {
    return this.#keys.size;
  }
}
