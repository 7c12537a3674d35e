import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  fromWire, sameWirePartition, seriesFromWire, toWire, toWireSeries, wireColumns, wireLabel, wirePartitionIn, wireSeriesColumns, wireSeriesFields, wireSeriesName,
} from '../src/dataset/wire-partition.ts';

const oneKey = { keys: [{ field: 'market_code', label: 'Market', values: ['N', 'Q'] }] } as never;
const twoKeys = { keys: [{ field: 'tier', label: 'Tier', values: ['OTC'] }, { field: 'venue_type', label: 'Venue type', values: ['ATS', 'NON_ATS'] }] } as never;

describe('the first release\'s partition fields', () => {
  it('round-trips a partition and a series', () => {
    const partition = { domain: 'otc', periodEnd: '2025-12-05', key1: 'OTC', key2: 'ATS' };
    expect(toWire(partition)).toEqual({ week_ending: '2025-12-05', tier: 'OTC', venue_type: 'ATS' });
    expect(fromWire('otc', toWire(partition))).toEqual(partition);
    expect(toWireSeries(seriesFromWire({ tier: 'OTC', venue_type: 'ATS' }))).toEqual({ tier: 'OTC', venue_type: 'ATS' });
  });

  it('names the columns of a SELECT list, of an aliased table too', () => {
    expect(wireSeriesColumns('e')).toBe('e.key_1 AS tier, e.key_2 AS venue_type');
    expect(wireColumns()).toBe("to_char(period_end, 'YYYY-MM-DD') AS week_ending, key_1 AS tier, key_2 AS venue_type");
  });

  it('labels what a row names, and a series as its dataset names it', () => {
    expect(wireLabel({ tier: 'OTC', venue_type: null, week_ending: '2025-12-05' })).toBe('OTC 2025-12-05');
    expect(wireLabel({ tier: 'OTC', venue_type: 'ATS' })).toBe('OTC ATS');
    expect(wireSeriesName(twoKeys, { tier: 'OTC', venue_type: 'ATS' })).toBe('OTC ATS');
    expect(wireSeriesName(oneKey, { tier: 'N', venue_type: 'ALL' })).toBe('N');
  });

  it('reads a partition from data nothing validated, or says it names none', () => {
    expect(wirePartitionIn({ tier: 'T1', week_ending: '2025-12-05' }, 'ATS')).toEqual({ tier: 'T1', venue_type: 'ATS', week_ending: '2025-12-05' });
    expect(wirePartitionIn({ tier: 'T1', venue_type: 'NON_ATS', week_ending: '2025-12-05' }, 'ATS')?.venue_type).toBe('NON_ATS');
    expect(wirePartitionIn({ tier: 'T1', week_ending: '2025-12-05' })).toBeUndefined();
    expect(wirePartitionIn({ tier: 7, venue_type: 'ATS', week_ending: '2025-12-05' })).toBeUndefined();
    expect(wirePartitionIn({ venue_type: 'ATS', week_ending: '2025-12-05' })).toBeUndefined();
    // Invalid values still name a partition: recording its failure needs no more than that.
    expect(wirePartitionIn({ tier: '', venue_type: 'ATS', week_ending: 'x' })).toEqual({ tier: '', venue_type: 'ATS', week_ending: 'x' });
  });

  it('tells whether two rows name the same partition', () => {
    const row = { tier: 'OTC', venue_type: 'ATS', week_ending: '2025-12-05' };
    expect(sameWirePartition(row, { ...row })).toBe(true);
    expect(sameWirePartition(row, { ...row, venue_type: 'NON_ATS' })).toBe(false);
    expect(sameWirePartition(row, { ...row, week_ending: '2025-12-12' })).toBe(false);
    expect(sameWirePartition(row, { ...row, tier: 'NMS_TIER_1' })).toBe(false);
  });

  it('gives each series field of a request its own schema', () => {
    const schema = z.object(wireSeriesFields(z.string(), z.string().default('all')));
    expect(schema.parse({ tier: 'OTC' })).toEqual({ tier: 'OTC', venue_type: 'all' });
  });
});
