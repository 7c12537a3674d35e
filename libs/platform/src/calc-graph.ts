import type { Queryable } from './db/pool.ts';

export interface CalcNode {
  calcName: string;
  calcVersion: number;
  stage: string;
  dependsOn: string[];
}

export async function loadCalcGraph(db: Queryable, domain: string): Promise<CalcNode[]> {
  const { rows } = await db.query<{ calc_name: string; calc_version: number; stage: string; depends_on: string[] }>(
    'SELECT calc_name, calc_version, stage, depends_on FROM core_calc_dependencies WHERE domain = $1 ORDER BY calc_name',
    [domain],
  );
  return rows.map((r) => ({ calcName: r.calc_name, calcVersion: r.calc_version, stage: r.stage, dependsOn: r.depends_on }));
}

/** Calculations in dependency order (Kahn's algorithm, ties by name so the order is stable). */
export function topologicalOrder(graph: CalcNode[]): CalcNode[] {
  const byName = new Map(graph.map((n) => [n.calcName, n]));
  for (const node of graph) {
    for (const dep of node.dependsOn) {
      if (!byName.has(dep)) throw new Error(`calculation ${node.calcName} depends on unknown calculation ${dep}`);
    }
  }
  const remaining = new Map(graph.map((n) => [n.calcName, new Set(n.dependsOn)]));
  const order: CalcNode[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([name]) => name).sort();
    if (ready.length === 0) throw new Error(`calculation graph has a cycle among: ${[...remaining.keys()].join(', ')}`);
    for (const name of ready) {
      remaining.delete(name);
      order.push(byName.get(name)!);
      for (const deps of remaining.values()) deps.delete(name);
    }
  }
  return order;
}

/**
 * Stages in the order the graph implies: a stage runs after every stage holding a calculation it depends on.
 * Throws when two stages depend on each other, since no sequential order could then honour the graph.
 */
export function stageOrder(graph: CalcNode[]): string[] {
  const stageOf = new Map(graph.map((n) => [n.calcName, n.stage]));
  const stageGraph = new Map<string, Set<string>>();
  for (const node of graph) {
    const deps = stageGraph.get(node.stage) ?? new Set<string>();
    for (const dep of node.dependsOn) if (stageOf.get(dep) !== node.stage) deps.add(stageOf.get(dep)!);
    stageGraph.set(node.stage, deps);
  }
  return topologicalOrder([...stageGraph].map(([stage, deps]) => ({ calcName: stage, calcVersion: 1, stage, dependsOn: [...deps] }))).map(
    (n) => n.calcName,
  );
}
