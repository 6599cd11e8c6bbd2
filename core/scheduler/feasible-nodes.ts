// How many feasible nodes a cycle looks for before it stops filtering: all of
// them in small clusters, a shrinking share in big ones (as kube-scheduler
// does), so the work per pod stays bounded while rotation spreads it.

/** Below this many nodes every node is filtered; above, never fewer than this many feasible nodes are sought. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive share never drops below this percentage. */
export const MIN_ADAPTIVE_PERCENTAGE = 5;

/**
 * The number of feasible nodes to find among `nodeCount`. With
 * `percentageOfNodesToScore` undefined the share adapts: 50% less one point
 * per 125 nodes, at least 5% (1,000 nodes -> 42% -> 420). 100 means every
 * node. Never fewer than 100 nodes, nor more than there are.
 */
export function numFeasibleNodesToFind(nodeCount: number, percentageOfNodesToScore?: number): number {
  if (nodeCount <= MIN_FEASIBLE_NODES_TO_FIND || (percentageOfNodesToScore ?? 0) >= 100) return nodeCount;
  const percentage =
    percentageOfNodesToScore !== undefined && percentageOfNodesToScore > 0
      ? percentageOfNodesToScore
      : Math.max(MIN_ADAPTIVE_PERCENTAGE, 50 - nodeCount / 125);
  return Math.min(nodeCount, Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((nodeCount * percentage) / 100)));
}
