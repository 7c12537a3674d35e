import { Command } from 'commander';
import { DatasetRegistry, type DatasetDefinition, type PartitionKeyDefinition } from '@spine/platform';
import { describe, expect, it } from 'vitest';
import { addKeyOptions, keyOptionValues } from '../src/partition-options.ts';

const never = (): never => {
  throw new Error('not run');
};
const key = (field: string, label: string, values: string[]): PartitionKeyDefinition => ({ field, label, values, parse: (t) => values.find((v) => v === t.trim().toUpperCase()) });
const dataset = (name: string, keys: DatasetDefinition['keys']): DatasetDefinition => ({
  name, pipeline: name, title: name, publisher: 'a publisher', shortTitle: 'Test', period: { kind: 'week', field: 'week_ending', label: 'Week' }, keys,
  firstPeriod: () => '2020-01-03', stages: [{ name: 'fetch', queue: 'fetch', spansNeighbours: false }, { name: 'load', queue: 'stage', spansNeighbours: false }],
  buildStages: never, prepareFile: never, applyRetention: never, openSource: never,
  codec: { captureIdPrefix: never, objectKeyPrefix: never, rawExtension: 'txt', lockName: never, jobIdPart: never, seriesIdPart: never },
});
const weekly = dataset('weekly', [key('tier', 'Tier', ['A', 'B']), key('venue_type', 'Venue type', ['X', 'Y'])]);
const daily = dataset('daily', [key('market_code', 'Market code', ['N', 'Q'])]);
const registry = new DatasetRegistry([weekly, daily]);

function parse(args: string[]): Record<string, unknown> {
  const command = addKeyOptions(new Command('test').exitOverride(), registry, (label) => `a ${label}`);
  command.parse(args, { from: 'user' });
  return command.opts();
}

describe('the CLI\'s partition key options, built from the registered datasets', () => {
  it('offers one option per key field of any dataset, saying whose key it is', () => {
    const command = addKeyOptions(new Command('test'), registry, (label) => `a ${label}`);
    expect(command.options.map((o) => `${o.long} ${o.description}`)).toEqual([
      '--tier a tier (weekly)', '--venue-type a venue type (weekly)', '--market-code a market code (daily)',
    ]);
  });

  it('reads the dataset\'s own keys, the implicit second of a one-key dataset never', () => {
    expect(keyOptionValues(registry, weekly, parse(['--tier', 'a', '--venue-type', 'Y']))).toEqual(['a', 'Y']);
    expect(keyOptionValues(registry, weekly, parse([]))).toEqual([undefined, undefined]);
    expect(keyOptionValues(registry, daily, parse(['--market-code', 'q']))).toEqual(['q', undefined]);
  });

  it('refuses another dataset\'s key, naming whose it is and the dataset\'s own', () => {
    expect(() => keyOptionValues(registry, daily, parse(['--tier', 'A']))).toThrow('--tier is a key of weekly, not of daily (its keys: --market-code)');
    expect(() => keyOptionValues(registry, weekly, parse(['--market-code', 'N']))).toThrow('--market-code is a key of daily, not of weekly (its keys: --tier, --venue-type)');
  });
});
