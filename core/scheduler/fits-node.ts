// Whether one pod passes every filter on one node: the question a node
// change asks of the pods parked as unschedulable (see equivalence.ts).

import type { Framework } from './framework.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { ClusterSnapshot } from './snapshot.js';

/** True when `node` passes every filter of `framework` for `pod`. A plugin error counts as a fit: the pod is tried again and the cycle reports the error. */
export function podFitsNode(pod: PodInfo, node: NodeInfo, snapshot: ClusterSnapshot, framework: Framework): boolean {
  for (const plugin of framework.filterPlugins) {
    let state: unknown = undefined;
    if (plugin.preFilter !== undefined) {
      const prepared = plugin.preFilter(pod, snapshot);
      if (prepared.type === 'skip') continue;
      state = prepared.state;
    }
    if (plugin.filter(state, pod, node).code === 'Unschedulable') return false;
  }
  return true;
}
