import type { Partition, PartitionCodec, SeriesKey } from '@spine/platform';
import { DOMAIN } from './domain.ts';

/**
 * A partition is one trade date of one facility: its names carry the market code (the partition's key, in `tier`) and
 * the trade date (in `weekEnding`); the second key slot holds the platform's NO_SECOND_KEY and is left out of them.
 */
export const REGSHO_CODEC: PartitionCodec = {
  captureIdPrefix: (p: Partition) => `${p.domain}-${p.key1}-${p.periodEnd}`,
  objectKeyPrefix: (p: Partition) => `${p.domain}/${p.key1}/${p.periodEnd}/`,
  rawExtension: 'txt',
  lockName: (p: Partition, scope) => (scope === 'series' ? `${p.domain}:${p.key1}` : `${p.domain}:${p.key1}:${p.periodEnd}`),
  jobIdPart: (p) => `${DOMAIN}-${p.key1}-${p.periodEnd}`,
  seriesIdPart: (s: SeriesKey) => s.key1,
};
