import { describe, expect, it } from 'vitest';
import { DatasetRegistry, definitionProblem, keyChoices, parseKeyValues, UnknownDatasetError, unknownKeyValue } from '../src/dataset/dataset-registry.ts';
import { NO_SECOND_KEY, partitionKeys, type DatasetDefinition, type PartitionKeyDefinition, type StageSpec } from '../src/dataset/dataset-definition.ts';

const never = (): never => {
  throw new Error('not run');
};
const key = (field: string, values: string[], legacyDefault?: string): PartitionKeyDefinition =>
  ({ field, label: field === 'tier' ? 'Tier' : 'Venue type', values, legacyDefault, parse: (t) => values.find((v) => v.toLowerCase() === t.trim().toLowerCase()) });
const stage = (name: string, queue: 'fetch' | 'stage' = 'stage', spansNeighbours = false): StageSpec => ({ name, queue, spansNeighbours });

function dataset(name: string, stages: StageSpec[] = [stage('fetch', 'fetch'), stage('load'), stage('window', 'stage', true)]): DatasetDefinition {
  return {
    name, pipeline: `${name}_pipeline`, title: name, publisher: 'a publisher', shortTitle: 'Test', period: { kind: 'week', field: 'week_ending', label: 'Week' },
    keys: [key('tier', ['A', 'B', 'C']), key('venue_type', ['X', 'Y'], 'X')], firstPeriod: () => '2020-01-03', stages,
    buildStages: never, prepareFile: never, applyRetention: never, openSource: never,
    codec: { captureIdPrefix: never, objectKeyPrefix: never, rawExtension: 'txt', lockName: never, jobIdPart: never, seriesIdPart: never },
  };
}

describe('the dataset registry', () => {
  it('finds datasets by name, the first for data that names none, and refuses an unknown name with the known ones', () => {
    const registry = new DatasetRegistry([dataset('first'), dataset('second')]);
    expect(registry.get('second').name).toBe('second');
    expect(registry.of(undefined).name).toBe('first');
    expect(registry.names()).toEqual(['first', 'second']);
    expect(() => registry.get('third')).toThrow(UnknownDatasetError);
    expect(() => registry.get('third')).toThrow('unknown dataset "third": registered datasets are first, second');
    // Rows may name a dataset this release no longer registers: find says so without throwing.
    expect(registry.find('second')?.name).toBe('second');
    expect(registry.find('third')).toBeUndefined();
  });

  it('refuses a registry without datasets, a name twice and a definition the orchestration cannot run', () => {
    expect(() => new DatasetRegistry([])).toThrow('at least one dataset');
    expect(() => new DatasetRegistry([dataset('a'), dataset('a')])).toThrow('registered twice');
    expect(() => new DatasetRegistry([dataset('a', [stage('load'), stage('fetch', 'fetch')])])).toThrow('dataset a cannot be registered: its first stage must be on the fetch queue');
  });

  it.each([
    ['Upper', undefined, 'lower-case'],
    ['ok', [stage('fetch', 'fetch'), stage('load'), stage('refetch', 'fetch')], 'only its first stage'],
    ['ok', [stage('fetch', 'fetch'), stage('load'), stage('load')], 'same name'],
    ['ok', [stage('fetch', 'fetch'), stage('load'), stage('window', 'stage', true), stage('after')], 'must come last'],
    ['ok', [stage('fetch', 'fetch'), stage('window', 'stage', true)], 'a stage of its own'],
  ])('names what is wrong with a definition (%s)', (name, stages, problem) => {
    expect(definitionProblem(dataset(name, stages))).toContain(problem);
  });

  it('gives a one-key dataset an implicit second key of one value, filled in where a job or request leaves it out', () => {
    const oneKey = { ...dataset('daily'), keys: [key('market_code', ['N', 'Q'])] as const };
    expect(definitionProblem(oneKey)).toBeUndefined();
    const [first, second] = partitionKeys(oneKey);
    expect(first.field).toBe('market_code');
    expect(second).toMatchObject({ field: 'venue_type', values: [NO_SECOND_KEY], legacyDefault: NO_SECOND_KEY, implicit: true });
    expect(parseKeyValues(second, 'all')).toEqual([NO_SECOND_KEY]);
    expect(second.parse('ATS')).toBeUndefined();
    expect(partitionKeys(dataset('weekly')).map((k) => k.field)).toEqual(['tier', 'venue_type']);
    expect(definitionProblem({ ...oneKey, keys: [key('venue_type', ['N'])] })).toContain('cannot be named venue_type');
    expect(definitionProblem({ ...oneKey, keys: [key('tier', ['N']), key('tier', ['X'])] })).toContain('same field');
    expect(definitionProblem({ ...oneKey, keys: [key('market_code', ['N']), second] })).toContain('implicit');
  });

  it('takes a dataset\'s own migrations directory as an absolute path only', () => {
    expect(definitionProblem({ ...dataset('own'), migrationsDir: '/srv/spine/libs/own/migrations' })).toBeUndefined();
    expect(definitionProblem({ ...dataset('own'), migrationsDir: 'libs/own/migrations' })).toContain('absolute path');
  });

  it('accepts a chain without window stages', () => {
    expect(definitionProblem(dataset('daily', [stage('fetch', 'fetch'), stage('load')]))).toBeUndefined();
  });

  it('reads `all` or one spelling of a key value, and says what it takes when refused', () => {
    const tier = key('tier', ['A', 'B', 'C']);
    const venue = key('venue_type', ['X', 'Y']);
    expect(parseKeyValues(tier, ' ALL ')).toEqual(['A', 'B', 'C']);
    expect(parseKeyValues(tier, 'b')).toEqual(['B']);
    expect(parseKeyValues(tier, 'D')).toBeUndefined();
    expect(unknownKeyValue(tier, 'D', false)).toBe('unknown tier "D": use one of A, B, C');
    expect(unknownKeyValue(tier, 'D', true)).toBe('unknown tier "D": use all or one of A, B, C');
    expect(unknownKeyValue(venue, 'Z', true)).toBe('unknown venue type "Z": use all, X or Y');
    expect(keyChoices(venue, false)).toBe('use one of X, Y');
  });
});
