import type { PartitionRequest } from '@spine/platform/sources/partition-source';

/** One OTC week as OTC's sources ask for it. */
export interface WeekAsked {
  /** Any accepted spelling of the tier and venue type. */
  tier: string;
  venueType: string;
  /** YYYY-MM-DD, a Friday. */
  weekEnding: string;
}

/** The platform's partition under OTC's names: its first key is the tier, its second the venue type. */
export function weekAsked(partition: PartitionRequest): WeekAsked {
  return { tier: partition.key1, venueType: partition.key2, weekEnding: partition.periodEnd };
}
