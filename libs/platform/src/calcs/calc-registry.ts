import type { CalcNode } from '../calc-graph.ts';
import { parseCalcVersion, type CalculationSpec } from './calculation-spec.ts';

/** One major version of a calculation: what it declares and the code that computes it. */
export interface RegisteredVersion<Impl> {
  spec: CalculationSpec;
  run: Impl;
}

/**
 * A domain's calculations by name, each with one entry per major version (a minor version replaces its major's
 * entry). Adding a calculation is its module, one entry here and the migration that puts it in the graph.
 */
export type CalcRegistry<Impl> = Readonly<Record<string, readonly RegisteredVersion<Impl>[]>>;

/** The code and the database's calculation graph disagree: a deployment error, never retried. */
export class CalcSpecMismatchError extends Error {
  override readonly name = 'CalcSpecMismatchError';
  constructor(readonly problems: readonly string[]) {
    super(`calculation specs and the database's calculation graph disagree (run spine db migrate, or fix the specs):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export function registeredSpecs<Impl>(registry: CalcRegistry<Impl>): CalculationSpec[] {
  return Object.values(registry).flatMap((versions) => versions.map((v) => v.spec));
}

/** The registered major version of a calculation, or undefined. */
export function registeredVersion<Impl>(registry: CalcRegistry<Impl>, name: string, major: number): RegisteredVersion<Impl> | undefined {
  return registry[name]?.find((v) => parseCalcVersion(v.spec.version).major === major);
}

/**
 * Every disagreement between the registry and the graph (core_calc_dependencies): a calculation on one side only,
 * a current version without a spec, a spec filed under another name, two specs of one major version, or a current
 * spec whose stage or dependencies differ from the graph's.
 */
export function registryProblems<Impl>(registry: CalcRegistry<Impl>, graph: readonly CalcNode[]): string[] {
  const problems: string[] = [];
  const inGraph = new Map(graph.map((n) => [n.calcName, n]));
  for (const [name, versions] of Object.entries(registry)) {
    if (!inGraph.has(name)) problems.push(`${name}: registered in code, not in the graph`);
    const majors = new Set<number>();
    for (const { spec } of versions) {
      if (spec.name !== name) problems.push(`${name}: registered with the spec of ${spec.name}`);
      const { major } = parseCalcVersion(spec.version);
      if (majors.has(major)) problems.push(`${name}: two specs of major version ${major}`);
      majors.add(major);
      for (const dep of spec.dependencies.dependsOn) if (!registry[dep]) problems.push(`${name} ${spec.version}: depends on ${dep}, which is not registered`);
    }
  }
  for (const node of graph) {
    if (!registry[node.calcName]) {
      problems.push(`${node.calcName}: in the graph, no code`);
      continue;
    }
    const current = registeredVersion(registry, node.calcName, node.calcVersion);
    if (!current) {
      problems.push(`${node.calcName}: the graph's current version ${node.calcVersion} has no spec`);
      continue;
    }
    const { spec } = current;
    if (spec.stage !== node.stage) problems.push(`${node.calcName}: runs in stage ${spec.stage} by its spec, ${node.stage} by the graph`);
    const declared = [...spec.dependencies.dependsOn].sort().join(',');
    const graphed = [...node.dependsOn].sort().join(',');
    if (declared !== graphed) problems.push(`${node.calcName}: depends on [${declared}] by its spec, [${graphed}] by the graph`);
  }
  return problems;
}

/** Throws CalcSpecMismatchError listing every problem registryProblems finds. */
export function assertRegistryMatchesGraph<Impl>(registry: CalcRegistry<Impl>, graph: readonly CalcNode[]): void {
  const problems = registryProblems(registry, graph);
  if (problems.length > 0) throw new CalcSpecMismatchError(problems);
}
