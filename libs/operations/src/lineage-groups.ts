import { seriesFromWire, toWireSeries, type ExecutionNode, type MaybeWirePartition, type Partition, type WirePartition } from '@spine/platform';

/** The executions of one partition in a lineage, flat, in the order they started. */
export interface PartitionLineage extends WirePartition {
  /** The week execution's status (what the partition's run came to), else its last execution's. */
  status: string;
  /** The stages' own durations, added up. */
  processing_ms: number;
  executions: Omit<ExecutionNode, 'children'>[];
}

export interface GroupedLineage {
  /** Executions of no partition: the batch's own. */
  batch: Omit<ExecutionNode, 'children'>[];
  /** Oldest week first, then the first key and the second. */
  partitions: PartitionLineage[];
}

function flatten(nodes: ExecutionNode[]): Omit<ExecutionNode, 'children'>[] {
  return nodes.flatMap(({ children, ...node }) => [node, ...flatten(children)]);
}

/** The partition an execution ran; undefined for the batch's own executions, which name none (or not all of one). */
function partitionOf(node: MaybeWirePartition): Omit<Partition, 'domain'> | undefined {
  const { key1, key2 } = seriesFromWire(node);
  return node.week_ending && key1 && key2 ? { periodEnd: node.week_ending, key1, key2 } : undefined;
}

/**
 * A lineage tree regrouped by partition: a backfill's window stages hang under its batch execution, not under their
 * week, so the tree alone scatters a partition's executions. Regrouped, each partition reads as one list.
 */
export function lineageByPartition(roots: ExecutionNode[]): GroupedLineage {
  const batch: Omit<ExecutionNode, 'children'>[] = [];
  const partitions = new Map<string, { partition: Omit<Partition, 'domain'>; nodes: Omit<ExecutionNode, 'children'>[] }>();
  for (const node of flatten(roots)) {
    const partition = partitionOf(node);
    if (!partition) {
      batch.push(node);
      continue;
    }
    const key = `${partition.periodEnd} ${partition.key1} ${partition.key2}`;
    partitions.set(key, { partition, nodes: [...(partitions.get(key)?.nodes ?? []), node] });
  }
  const started = (node: Omit<ExecutionNode, 'children'>) => new Date(node.started_at).getTime();
  return {
    batch,
    partitions: [...partitions.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, { partition, nodes }]) => {
      const executions = [...nodes].sort((a, b) => started(a) - started(b));
      const week = executions.find((e) => e.stage === 'week');
      const stages = executions.filter((e) => e.stage !== 'week');
      return {
        ...toWireSeries(partition), week_ending: partition.periodEnd,
        status: week?.status ?? executions.at(-1)!.status, processing_ms: stages.reduce((sum, e) => sum + (e.duration_ms ?? 0), 0), executions,
      };
    }),
  };
}
