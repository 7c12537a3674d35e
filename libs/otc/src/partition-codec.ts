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
  captureIdPrefix: (p: Partition) => `${p.domain}-${p.key1}${venuePart(p.key2, '-')}-${p.periodEnd}`,
  objectKeyPrefix: (p: Partition) => `${p.domain}/${p.key1}/${venuePart(p.key2, '/', true)}${p.periodEnd}/`,
  rawExtension: 'psv',
  lockName: (p: Partition, scope) =>
    scope === 'series' ? `${p.domain}:${p.key1}${venuePart(p.key2, ':')}` : `${p.domain}:${p.key1}:${p.periodEnd}${venuePart(p.key2, ':')}`,
  jobIdPart: (p) => `${DOMAIN}-${p.key1}${venuePart(p.key2, '-')}-${p.periodEnd}`,
  seriesIdPart: (s: SeriesKey) => `${s.key1}${venuePart(s.key2, '-')}`,
};
