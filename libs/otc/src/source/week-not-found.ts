import { SourceNotFoundError, type PartitionRequest } from '@spine/platform/sources/partition-source';

/** No data of one OTC week at a source: what every OTC source rejects with, naming where it looked. */
export function weekNotFound(partition: PartitionRequest, where: string): SourceNotFoundError {
  return new SourceNotFoundError(`No ${partition.key1} ${partition.key2} data for the week ending ${partition.periodEnd} at ${where}`, partition, where);
}
