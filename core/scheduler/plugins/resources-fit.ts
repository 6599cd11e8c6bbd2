// Filter: the pod's requests fit in what the node has left, and the node
// takes one more pod. Pods that request nothing of a resource are not checked
// for it (the scoring defaults do not apply here).

import type { FilterPlugin } from '../framework.js';
import { SUCCESS, unschedulable } from '../status.js';

export const RESOURCES_FIT = 'resources-fit';

const TOO_MANY_PODS = unschedulable(RESOURCES_FIT, 'too many pods');
const INSUFFICIENT_CPU = unschedulable(RESOURCES_FIT, 'insufficient cpu');
const INSUFFICIENT_MEMORY = unschedulable(RESOURCES_FIT, 'insufficient memory');

export const resourcesFit = {
  name: RESOURCES_FIT,
  filter(_state, pod, node) {
    if (node.podCount + 1 > node.allocatablePods) return TOO_MANY_PODS;
    if (pod.cpuMillis > 0 && node.requestedCpuMillis + pod.cpuMillis > node.allocatableCpuMillis) return INSUFFICIENT_CPU;
    if (pod.memoryBytes > 0 && node.requestedMemoryBytes + pod.memoryBytes > node.allocatableMemoryBytes) return INSUFFICIENT_MEMORY;
    return SUCCESS;
  },
} satisfies FilterPlugin;
