import { describe, expect, it } from 'vitest';
import { calculationSpecSchema, defineCalculation, describeExpectedRows, parseCalcVersion, versionOutput, type CalculationSpec } from '../src/calcs/calculation-spec.ts';
import { assertRegistryMatchesGraph, CalcSpecMismatchError, registeredVersion, registryProblems, type CalcRegistry } from '../src/calcs/calc-registry.ts';
import { majorVersionText, versionPairText, weekEndingsText } from '../src/calcs/calc-command-request.ts';
import { summarizeDifferences, type ComparedRow } from '../src/calcs/version-compare.ts';
import type { CalcNode } from '../src/calc-graph.ts';

const base = {
  name: 'sum', version: 'v1.0', stage: 'aggregate',
  lineage: { inputs: ['silver'], output: 'sum_view' },
  dependencies: { dependsOn: ['silver'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: { description: 'Totals per symbol and week.', assumptions: [] },
  validation: { outputColumns: ['symbol', 'total'], rowKey: ['symbol'], expectedRows: { count: 1, per: 'symbol-week' } },
};
const problems = (spec: unknown) => {
  const parsed = calculationSpecSchema.safeParse(spec);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('calculation specs', () => {
  it('accepts a first version and a breaking v2 that replaces it, reading its rows from its own relation', () => {
    const v1 = defineCalculation(base);
    const v2 = defineCalculation({ ...base, version: 'v2.0', lineage: { ...base.lineage, versionOutput: 'sum_v2' }, behaviour: { isBreaking: true, replaces: 'v1.3' } });
    expect(versionOutput(v1)).toBe('sum_view');
    expect(versionOutput(v2)).toBe('sum_v2');
    expect(describeExpectedRows(v1)).toBe('1 per symbol-week');
    expect(describeExpectedRows({ ...v1, validation: { ...v1.validation, expectedRows: null } })).toBeNull();
    expect(parseCalcVersion('v12.3')).toEqual({ major: 12, minor: 3 });
  });

  it('holds versions to v{major}.{minor} and behaviour to the version: v1.0 replaces nothing, a minor fixes, a major breaks', () => {
    for (const version of ['1.0', 'v1', 'v01.0', 'v1.01', 'v0.1', 'V1.0']) expect(problems({ ...base, version }), version).toEqual(['a version v{major}.{minor}, e.g. v1.0']);
    expect(problems({ ...base, behaviour: { isBreaking: true, replaces: null } })).toEqual(['v1.0 is the first version: it replaces nothing and breaks nothing']);
    expect(problems({ ...base, version: 'v1.1' })).toEqual(['v1.1 must name the version it replaces']);
    expect(problems({ ...base, version: 'v1.2', behaviour: { isBreaking: true, replaces: 'v1.0' } })).toEqual([
      'v1.2 is a minor version: a fix that replaces the output, not a breaking change', 'v1.2 replaces v1.1, not v1.0']);
    expect(problems({ ...base, version: 'v1.1', behaviour: { isBreaking: false, replaces: 'v1.0' } })).toEqual([]);
    expect(problems({ ...base, version: 'v3.0', behaviour: { isBreaking: false, replaces: 'v1.0' } })).toEqual([
      'v3.0 is a major version: mark it is_breaking (it runs side by side with the one it replaces)', 'v3.0 replaces a v2.x version, not v1.0']);
  });

  it('refuses names that are not SQL names, empty documentation, an unknown grain shape and missing columns', () => {
    expect(problems({ ...base, lineage: { inputs: ['otc raw'], output: 'Sum' } })).toHaveLength(2);
    expect(problems({ ...base, documentation: { description: '', assumptions: [''] } })).toHaveLength(2);
    expect(problems({ ...base, validation: { outputColumns: [], rowKey: [], expectedRows: { count: 0, per: 'Symbol Week' } } })).toHaveLength(4);
    expect(problems({ ...base, dependencies: { dependsOn: [], weeksRequired: 0 } })).toHaveLength(1);
    expect(() => defineCalculation({ ...base, version: 'v2.0' })).toThrow(/calculation spec sum v2\.0 is invalid: behaviour: v2\.0 must name the version it replaces/);
  });
});

describe('the registry against the graph', () => {
  const node = (calcName: string, stage: string, dependsOn: string[] = [], calcVersion = 1): CalcNode => ({ calcName, calcVersion, stage, dependsOn });
  const silver = defineCalculation({ ...base, name: 'silver', stage: 'normalize', dependencies: { dependsOn: [], weeksRequired: 1 } });
  const sum = defineCalculation(base);
  const sum2 = defineCalculation({ ...base, version: 'v2.0', behaviour: { isBreaking: true, replaces: 'v1.0' } });
  const registry: CalcRegistry<string> = { silver: [{ spec: silver, run: 'silver' }], sum: [{ spec: sum, run: 'sum v1' }, { spec: sum2, run: 'sum v2' }] };

  it('agrees with a graph whose current versions have specs with the same stage and dependencies', () => {
    expect(registryProblems(registry, [node('silver', 'normalize'), node('sum', 'aggregate', ['silver'])])).toEqual([]);
    expect(registryProblems(registry, [node('silver', 'normalize'), node('sum', 'aggregate', ['silver'], 2)])).toEqual([]);
    expect(registeredVersion(registry, 'sum', 2)?.run).toBe('sum v2');
    expect(registeredVersion(registry, 'sum', 3)).toBeUndefined();
  });

  it('names every disagreement and throws them together', () => {
    const graph = [node('silver', 'ingest'), node('sum', 'aggregate', ['raw', 'silver'], 3), node('roll', 'rolling', ['sum'])];
    const expected = [
      'silver: runs in stage normalize by its spec, ingest by the graph',
      "sum: the graph's current version 3 has no spec",
      'roll: in the graph, no code',
    ];
    expect(registryProblems(registry, graph)).toEqual(expected);
    expect(registryProblems({ ...registry, roll: [{ spec: sum, run: 'x' }, { spec: sum, run: 'y' }] }, [...graph.slice(0, 2), node('roll', 'aggregate', ['silver'])]))
      .toEqual(expect.arrayContaining(['roll: registered with the spec of sum', 'roll: two specs of major version 1']));
    expect(registryProblems({ extra: [{ spec: { ...sum, name: 'extra', dependencies: { dependsOn: ['gone'], weeksRequired: 1 } } as CalculationSpec, run: '' }] }, []))
      .toEqual(['extra: registered in code, not in the graph', 'extra v1.0: depends on gone, which is not registered']);
    expect(() => assertRegistryMatchesGraph(registry, graph)).toThrow(CalcSpecMismatchError);
    expect(() => assertRegistryMatchesGraph(registry, graph)).toThrow(/run spine db migrate, or fix the specs\):\n {2}silver: runs in stage/);
  });
});

describe('spine calcs input', () => {
  it('reads major versions, version pairs and week lists or ranges', () => {
    expect(['2', 'v2', 'v2.0', ' 12 '].map((t) => majorVersionText.parse(t))).toEqual([2, 2, 2, 12]);
    for (const bad of ['0', 'v2.1', 'two', '-1', '']) expect(majorVersionText.safeParse(bad).success, bad).toBe(false);
    expect(versionPairText.parse('1,v2')).toEqual([1, 2]);
    for (const bad of ['1', '1,1', '1,2,3', '1,x']) expect(versionPairText.safeParse(bad).success, bad).toBe(false);
    expect(weekEndingsText.parse('2025-11-14,2025-11-07,2025-11-14')).toEqual(['2025-11-07', '2025-11-14']);
    expect(weekEndingsText.parse('2025-11-07..2025-11-28')).toEqual(['2025-11-07', '2025-11-14', '2025-11-21', '2025-11-28']);
    expect(weekEndingsText.safeParse('2025-11-08').error?.issues[0]?.message).toBe('2025-11-08 is a Saturday; week_ending must be a Friday');
    expect(weekEndingsText.safeParse('2025-11-28..2025-11-07').error?.issues[0]?.message).toBe('the range 2025-11-28..2025-11-07 ends before it starts');
    expect(weekEndingsText.safeParse('2000-01-07..2025-11-07').error?.issues[0]?.message).toBe('at most 520 weeks at once');
  });
});

describe('comparing two versions', () => {
  const row = (symbol: string, a: Record<string, unknown>, b: Record<string, unknown>): ComparedRow => ({ week_ending: '2025-12-05', tier: 'OTC', venue_type: 'ATS', key: { symbol }, a, b });

  it('counts changed rows per column, with the max and mean absolute difference and the rows that differ most first', () => {
    const rows = [
      row('AAA', { hhi: '0.500000', top: 'X' }, { hhi: '5000.00', top: 'X' }),
      row('BBB', { hhi: '1.000000', top: 'X' }, { hhi: '10000.00', top: 'Y' }),
      row('CCC', { hhi: null, top: 'X' }, { hhi: null, top: 'X' }),
      row('DDD', { hhi: '0', top: 'X' }, { hhi: '0.00', top: 'X' }),
      row('EEE', { hhi: null, top: 'X' }, { hhi: '1.00', top: 'X' }),
    ];
    const [hhi, top] = summarizeDifferences(rows, ['hhi', 'top'], 2);
    expect(hhi).toEqual({
      column: 'hhi', numeric: true, changed: 3, max_abs_diff: 9999, mean_abs_diff: (4999.5 + 9999 + 0) / 3,
      top: [
        { week_ending: '2025-12-05', tier: 'OTC', venue_type: 'ATS', key: { symbol: 'EEE' }, a: null, b: '1.00', abs_diff: null },
        { week_ending: '2025-12-05', tier: 'OTC', venue_type: 'ATS', key: { symbol: 'BBB' }, a: '1.000000', b: '10000.00', abs_diff: 9999 },
      ],
    });
    expect(top).toMatchObject({ column: 'top', numeric: false, changed: 1, max_abs_diff: null, mean_abs_diff: null, top: [{ key: { symbol: 'BBB' }, a: 'X', b: 'Y' }] });
    expect(summarizeDifferences([], ['hhi'])).toEqual([{ column: 'hhi', numeric: true, changed: 0, max_abs_diff: null, mean_abs_diff: null, top: [] }]);
  });
});
