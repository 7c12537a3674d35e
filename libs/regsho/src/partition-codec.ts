import type { Partition, PartitionCodec, SeriesKey } from '@spine/platform';
import { DOMAIN } from './domain.ts';

/**
 * A partition is one trade date of one facility: its names carry the market code (the partition's key, in `tier`) and
 * the trade date (in `weekEnding`); the second key slot holds the platform's NO_SECOND_KEY and is left out of them.
 */
export const REGSHO_CODEC: PartitionCodec = {
  captureIdPrefix: (p: Partition) => `${p.domain}-${p.tier}-${p.weekEnding}`,
  objectKeyPrefix: (p: Partition) => `${p.domain}/${p.tier}/${p.weekEnding}/`,
  rawExtension: 'txt',
  lockName: (p: Partition, scope) => (scope === 'series' ? `${p.domain}:${p.tier}` : `${p.domain}:${p.tier}:${p.weekEnding}`),
  jobIdPart: (p) => `${DOMAIN}-${p.tier}-${p.weekEnding}`,
  seriesIdPart: (s: SeriesKey) => s.tier,
};
