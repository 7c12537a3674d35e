import { describe, expect, it } from 'vitest';
import { stageOrder, topologicalOrder, type CalcNode } from '../src/calc-graph.ts';

const node = (calcName: string, stage: string, dependsOn: string[] = []): CalcNode => ({ calcName, calcVersion: 1, stage, dependsOn });

describe('calculation graph', () => {
  const graph = [
    node('snap', 'snapshot', ['sum', 'roll']),
    node('roll', 'rolling', ['sum']),
    node('sum', 'aggregate', ['silver']),
    node('share', 'aggregate', ['silver']),
    node('silver', 'normalize', ['raw']),
    node('raw', 'ingest'),
  ];

  it('orders calculations after their inputs, ties by name', () => {
    expect(topologicalOrder(graph).map((n) => n.calcName)).toEqual(['raw', 'silver', 'share', 'sum', 'roll', 'snap']);
  });

  it('derives the stage order from the graph', () => {
    expect(stageOrder(graph)).toEqual(['ingest', 'normalize', 'aggregate', 'rolling', 'snapshot']);
  });

  it('rejects cycles and unknown dependencies', () => {
    expect(() => topologicalOrder([node('a', 's', ['b']), node('b', 's', ['a'])])).toThrow(/cycle among: a, b/);
    expect(() => topologicalOrder([node('a', 's', ['ghost'])])).toThrow(/unknown calculation ghost/);
    expect(() => stageOrder([node('a', 'one', ['b']), node('b', 'two', ['c']), node('c', 'one')])).toThrow(/cycle/);
  });
});
