import type { ExecutionNode } from '@spine/platform';

/** The executions of one partition in a lineage, flat, in the order they started. */
export interface PartitionLineage {
  tier: string;
  venue_type: string;
  week_ending: string;
  /** The week execution's status (what the partition's run came to), else its last execution's. */
  status: string;
  /** The stages' own durations, added up. */
  processing_ms: number;
  executions: Omit<ExecutionNode, 'children'>[];
}

export interface GroupedLineage {
  /** Executions of no partition: the batch's own. */
  batch: Omit<ExecutionNode, 'children'>[];
  /** Oldest week first, then tier and venue type. */
  partitions: PartitionLineage[];
}

function flatten(nodes: ExecutionNode[]): Omit<ExecutionNode, 'children'>[] {
  return nodes.flatMap(({ children, ...node }) => [node, ...flatten(children)]);
}

/**
 * A lineage tree regrouped by partition: a backfill's window stages hang under its batch execution, not under their
 * week, so the tree alone scatters a partition's executions. Regrouped, each partition reads as one list.
 */
export function lineageByPartition(roots: ExecutionNode[]): GroupedLineage {
  const batch: Omit<ExecutionNode, 'children'>[] = [];
  const partitions = new Map<string, Omit<ExecutionNode, 'children'>[]>();
  for (const node of flatten(roots)) {
    if (!node.week_ending || !node.tier || !node.venue_type) {
      batch.push(node);
      continue;
    }
    const key = `${node.week_ending} ${node.tier} ${node.venue_type}`;
    partitions.set(key, [...(partitions.get(key) ?? []), node]);
  }
  const started = (node: Omit<ExecutionNode, 'children'>) => new Date(node.started_at).getTime();
  return {
    batch,
    partitions: [...partitions.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, nodes]) => {
      const executions = [...nodes].sort((a, b) => started(a) - started(b));
      const week = executions.find((e) => e.stage === 'week');
      const stages = executions.filter((e) => e.stage !== 'week');
      return {
        tier: executions[0]!.tier!, venue_type: executions[0]!.venue_type!, week_ending: executions[0]!.week_ending!,
        status: week?.status ?? executions.at(-1)!.status, processing_ms: stages.reduce((sum, e) => sum + (e.duration_ms ?? 0), 0), executions,
      };
    }),
  };
}
