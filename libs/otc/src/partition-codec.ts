import type { Partition, PartitionCodec, SeriesKey } from '@spine/platform';
import { DOMAIN } from './domain.ts';

/**
 * ATS partitions keep every name they had before the venue type existed (capture ids, object keys, locks, job ids),
 * so data and jobs of earlier releases stay addressable; NON_ATS names carry the venue type.
 */
function venuePart(venueType: string, separator: string, trailing = false): string {
  if (venueType === 'ATS') return '';
  return trailing ? `${venueType}${separator}` : `${separator}${venueType}`;
}

export const OTC_CODEC: PartitionCodec = {
  captureIdPrefix: (p: Partition) => `${p.domain}-${p.tier}${venuePart(p.venueType, '-')}-${p.weekEnding}`,
  objectKeyPrefix: (p: Partition) => `${p.domain}/${p.tier}/${venuePart(p.venueType, '/', true)}${p.weekEnding}/`,
  rawExtension: 'psv',
  lockName: (p: Partition, scope) =>
    scope === 'series' ? `${p.domain}:${p.tier}${venuePart(p.venueType, ':')}` : `${p.domain}:${p.tier}:${p.weekEnding}${venuePart(p.venueType, ':')}`,
  jobIdPart: (p) => `${DOMAIN}-${p.tier}${venuePart(p.venueType, '-')}-${p.weekEnding}`,
  seriesIdPart: (s: SeriesKey) => `${s.tier}${venuePart(s.venueType, '-')}`,
};
