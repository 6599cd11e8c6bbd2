// Pods the filters cannot tell apart. Two pods of one class pass and fail
// the same filters on every node, so one verdict speaks for the class:
//   - within one burst, once a pod of a class fits nowhere, the rest of the
//     class fit nowhere either (the burst only adds assumed pods, and more
//     pods never make a node fit) and are not filtered again;
//   - when a node changes, one pod per parked class is tried against that
//     node alone, and only the classes that fit it go back to the queue
//     (kube-scheduler's queueing hints do the same job per plugin).
// A pod with required pod affinity has no class: another pod arriving can
// make a node fit it, so its verdicts do not carry over.

import type { Pod } from '../api/index.js';
import type { PodInfo } from './pod-info.js';

// Pods are immutable once cached: the burst and the parked set ask for the
// class of the same object, so it is worked out once.
const classes = new WeakMap<Pod, string | null>();

/** The key of the pod's class, or undefined when its verdicts must not be shared. */
export function filterClassOf(info: PodInfo): string | undefined {
  let cls = classes.get(info.pod);
  if (cls === undefined) classes.set(info.pod, (cls = classKey(info) ?? null));
  return cls ?? undefined;
}

function classKey(info: PodInfo): string | undefined {
  if (info.requiredAffinityTerms.length > 0) return undefined;
  const spec = info.pod.spec;
  // Everything a filter reads of the pod, and nothing else. Labels and
  // namespace count because placed pods' anti-affinity terms select by them.
  return JSON.stringify([
    info.namespace,
    sortedEntries(info.labels),
    spec.nodeSelector === undefined ? null : sortedEntries(spec.nodeSelector),
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
    spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
    spec.tolerations ?? null,
    info.cpuMillis,
    info.memoryBytes,
    [...info.hostPorts].sort((a, b) => a - b),
  ]);
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
