// What a scheduling cycle reads of the cluster.

import type { NodeInfo } from './node-info.js';

/**
 * The cluster as one scheduling cycle sees it. The SchedulerCache is one:
 * the scheduler runs in one actor, so nothing changes under a cycle and no
 * copy is needed.
 */
export interface ClusterSnapshot {
  /** The nodes pods may be placed on (those whose Node object is known), in a stable order: rotation walks it. */
  readonly nodeInfos: readonly NodeInfo[];
  /** Any node by name, ghosts (pods but no Node) included. */
  nodeInfo(name: string): NodeInfo | undefined;
  /** Pods on nodes with required anti-affinity terms; 0 lets the pod-affinity filter skip the symmetric check. */
  readonly podsWithRequiredAntiAffinityCount: number;
  /** Nodes with a PreferNoSchedule taint; 0 lets its score skip. */
  readonly nodesWithPreferNoScheduleTaintsCount: number;
}
