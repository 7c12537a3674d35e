import { describe, expect, it } from 'vitest';
import { DatasetRegistry, definitionProblem, NO_SECOND_KEY, type Partition } from '@spine/platform';
import { CalcSpecMismatchError } from '@spine/platform/calcs/calc-registry';
import { MARKET_CODES } from '../src/facilities.ts';
import { regshoDataset } from '../src/dataset.ts';
import { tradeDateProblem } from '../src/prepare-file.ts';
import { buildRegshoStages, regshoGraphProblems } from '../src/stages/regsho-stages.ts';

const partition = (tier: string, weekEnding: string): Partition => ({ domain: 'regsho', key1: tier, periodEnd: weekEnding, key2: NO_SECOND_KEY });
const GRAPH = [
  { calcName: 'regsho_daily_volume', calcVersion: 1, stage: 'ingest', dependsOn: [] },
  { calcName: 'regsho_symbol_daily', calcVersion: 1, stage: 'ingest', dependsOn: ['regsho_daily_volume'] },
  { calcName: 'regsho_symbol_rolling_20d', calcVersion: 1, stage: 'ingest', dependsOn: ['regsho_symbol_daily'] },
  { calcName: 'regsho_symbol_week', calcVersion: 1, stage: 'ingest', dependsOn: ['regsho_symbol_daily'] },
  { calcName: 'research_symbol_week', calcVersion: 1, stage: 'ingest', dependsOn: ['regsho_symbol_week'] },
];

describe('regshoDataset', () => {
  it('is a definition the registry takes, with one key', () => {
    expect(definitionProblem(regshoDataset)).toBeUndefined();
    expect(new DatasetRegistry([regshoDataset]).get('regsho').keys.map((k) => k.field)).toEqual(['market_code']);
    expect(regshoDataset.keys[0].parse(' q ')).toBe('Q');
    expect(regshoDataset.keys[0].parse('CNMS')).toBeUndefined();
  });

  it('starts the Chicago TRF on 2018-09-10 and the other facilities on 2018-08-01', () => {
    expect(MARKET_CODES.map((m) => `${m} ${regshoDataset.firstPeriod({ key1: m, key2: NO_SECOND_KEY })}`))
      .toEqual(['N 2018-08-01', 'Q 2018-08-01', 'B 2018-09-10', 'D 2018-08-01', 'O 2018-08-01']);
  });

  it('names each partition apart, stably, and leaves the implicit second key out of its names', () => {
    const { codec } = regshoDataset;
    const q = partition('Q', '2025-01-10');
    expect([codec.captureIdPrefix(q), codec.objectKeyPrefix(q), codec.lockName(q, 'partition'), codec.lockName(q, 'series'), codec.jobIdPart(q),
      codec.seriesIdPart(q), codec.rawExtension])
      .toEqual(['regsho-Q-2025-01-10', 'regsho/Q/2025-01-10/', 'regsho:Q:2025-01-10', 'regsho:Q', 'regsho-Q-2025-01-10', 'Q', 'txt']);
    const ids = MARKET_CODES.flatMap((m) => ['2025-01-08', '2025-01-10'].map((d) => codec.jobIdPart(partition(m, d))));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('runs fetch then ingest, the one stage the graph implies', () => {
    expect(regshoDataset.stages.map((s) => `${s.name}:${s.queue}`)).toEqual(['fetch:fetch', 'ingest:stage']);
    expect(buildRegshoStages(GRAPH, { maxRejectShare: 0 }).map((s) => [s.name, s.lockNames({ ...partition('B', '2025-01-10'), captureId: 'c' })]))
      .toEqual([['ingest', ['regsho:B:2025-01-10']]]);
  });

  it('refuses a graph it does not match', () => {
    expect(regshoGraphProblems(GRAPH)).toEqual([]);
    expect(regshoGraphProblems([...GRAPH.slice(1), { calcName: 'regsho_other', calcVersion: 1, stage: 'rolling', dependsOn: [] }])).toEqual([
      'regsho_other: in the graph, no code', 'regsho_daily_volume: in code, not in the graph',
    ]);
    expect(() => buildRegshoStages(GRAPH.map((n) => ({ ...n, stage: n.calcName === 'regsho_symbol_week' ? 'aggregate' : n.stage })), { maxRejectShare: 0 }))
      .toThrow(CalcSpecMismatchError);
  });
});

describe('tradeDateProblem', () => {
  it('takes a weekday from the facility\'s first trade date on and says what is wrong with anything else', () => {
    expect(tradeDateProblem('2025-01-10', 'Q')).toBeUndefined();
    expect(tradeDateProblem('2018-09-10', 'B')).toBeUndefined();
    expect(tradeDateProblem('2018-09-07', 'B')).toMatch(/before 2018-09-10, the first trade date FINRA published for B \(Nasdaq TRF Chicago\)/);
    expect(tradeDateProblem('2018-07-31', 'N')).toMatch(/before 2018-08-01/);
    expect(tradeDateProblem('2025-01-12', 'N')).toMatch(/is a Sunday/);
    expect(tradeDateProblem('2025-02-30', 'N')).toMatch(/not a date/);
  });
});
