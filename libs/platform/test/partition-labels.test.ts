import { describe, expect, it } from 'vitest';
import { IMPLICIT_SECOND_KEY, partitionLabelNames, partitionLabels, type PartitionKeyDefinition } from '../src/index.ts';

const key = (field: string, values: string[]): PartitionKeyDefinition => ({ field, label: field, values, parse: (t) => (values.includes(t) ? t : undefined) });
const weekly = { name: 'weekly', keys: [key('tier', ['T1', 'T2']), key('venue_type', ['ATS', 'NON_ATS'])] as const };
const daily = { name: 'daily', keys: [key('market_code', ['N', 'Q'])] as const };

describe('partition labels', () => {
  it('declare the series labels and every registered dataset\'s key fields once', () => {
    expect(partitionLabelNames([weekly, daily])).toEqual(['dataset', 'partition', 'tier', 'venue_type', 'market_code']);
    expect(partitionLabelNames([weekly, { keys: [key('tier', ['X'])] as const }])).toEqual(['dataset', 'partition', 'tier', 'venue_type']);
  });

  it('name a two-key series by both keys and a one-key series by its own key, without its implicit second', () => {
    expect(partitionLabels(weekly, { key1: 'T1', key2: 'NON_ATS' })).toEqual({ dataset: 'weekly', partition: 'T1 NON_ATS', tier: 'T1', venue_type: 'NON_ATS' });
    expect(partitionLabels(daily, { key1: 'Q', key2: IMPLICIT_SECOND_KEY.values[0]! })).toEqual({ dataset: 'daily', partition: 'Q', market_code: 'Q' });
  });
});
