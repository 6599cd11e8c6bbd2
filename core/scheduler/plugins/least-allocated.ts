// Score: prefer the node with the most CPU and memory left once the pod is
// on it (the mean of the two free fractions, as 0-100). Requests here count
// the scoring defaults for containers that request nothing, so that pods
// without requests still spread.

import type { ScorePlugin } from '../framework.js';

export const LEAST_ALLOCATED = 'least-allocated';

function freePercent(allocatable: number, requested: number): number {
  if (allocatable <= 0 || requested >= allocatable) return 0;
  return ((allocatable - requested) * 100) / allocatable;
}

export const leastAllocated = {
  name: LEAST_ALLOCATED,
  weight: 1,
  score(_state, pod, node) {
    const cpu = freePercent(node.allocatableCpuMillis, node.nonZeroRequestedCpuMillis + pod.nonZeroCpuMillis);
    const memory = freePercent(node.allocatableMemoryBytes, node.nonZeroRequestedMemoryBytes + pod.nonZeroMemoryBytes);
    return (cpu + memory) / 2;
  },
} satisfies ScorePlugin;
