import { SourceNotFoundError, type PartitionRequest } from '@spine/platform/sources/partition-source';

/** No data of one OTC week at a source: what every OTC source rejects with, naming where it looked. */
export function weekNotFound(partition: PartitionRequest, where: string): SourceNotFoundError {
  return new SourceNotFoundError(`No ${partition.tier} ${partition.venueType} data for the week ending ${partition.weekEnding} at ${where}`, partition, where);
}
