// PodInfo: a pod with what the scheduler needs from it computed once (its
// requests, host ports, owner and affinity terms), so the per-node loop reads
// numbers and sets instead of walking the spec.

import { DEFAULT_NAMESPACE } from '../api/index.js';
import type { LabelSelector, Labels, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../api/index.js';
import { hostPortKey } from './host-ports.js';
import { cpuMillis, memoryBytes } from './quantities.js';

/** CPU a container that requests none counts for scoring (not for fit), as in Kubernetes. */
export const DEFAULT_CPU_REQUEST_MILLIS = 100;
/** Memory a container that requests none counts for scoring (not for fit), as in Kubernetes. */
export const DEFAULT_MEMORY_REQUEST_BYTES = 200 * 1024 * 1024;

/** A pod affinity term with its namespaces resolved (absent or empty: the namespace of the pod that holds the term). */
export interface AffinityTerm {
  readonly selector: LabelSelector;
  readonly namespaces: ReadonlySet<string>;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  /** 1-100. */
  readonly weight: number;
}

/** A pod as the scheduler sees it. Immutable; built by podInfoOf. */
export interface PodInfo {
  readonly pod: Pod;
  /** `namespace/name`: how the cache keys pods. */
  readonly key: string;
  /** Absent only for pods that never reached the store (tests). */
  readonly uid: string | undefined;
  readonly namespace: string;
  readonly labels: Labels;
  /** The uid of the controller owner reference (the ReplicaSet of a pod), if any. */
  readonly controllerUid: string | undefined;
  /** Sum of the containers' requests (defaulting to their limits), for fit. */
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  /** As above, but containers that request nothing count the defaults: for scoring only. */
  readonly nonZeroCpuMillis: number;
  readonly nonZeroMemoryBytes: number;
  /** Host ports as hostPortKey(protocol, port), without duplicates. */
  readonly hostPorts: readonly number[];
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
}

const NONE: readonly never[] = Object.freeze([]);
const NO_LABELS: Labels = Object.freeze({});

/** `namespace/name` of a pod: the key the scheduler's cache uses. */
export function podKeyOf(pod: Pod): string {
  return `${pod.metadata.namespace ?? DEFAULT_NAMESPACE}/${pod.metadata.name}`;
}

/** Tells a PodInfo from a Pod: Pods carry `kind`, PodInfos do not. */
export function isPodInfo(x: Pod | PodInfo): x is PodInfo {
  return !('kind' in x);
}

export function podInfoOf(pod: Pod): PodInfo {
  const namespace = pod.metadata.namespace ?? DEFAULT_NAMESPACE;
  let cpu = 0;
  let memory = 0;
  let nonZeroCpu = 0;
  let nonZeroMemory = 0;
  let hostPorts: number[] | undefined;
  for (const container of pod.spec.containers) {
    const requests = container.resources?.requests;
    const limits = container.resources?.limits;
    const cpuQuantity = requests?.cpu ?? limits?.cpu;
    const memoryQuantity = requests?.memory ?? limits?.memory;
    const c = cpuQuantity === undefined ? 0 : cpuMillis(cpuQuantity);
    const m = memoryQuantity === undefined ? 0 : memoryBytes(memoryQuantity);
    cpu += c;
    memory += m;
    // A request written as 0 counts as 0: only an absent one gets the default.
    nonZeroCpu += cpuQuantity === undefined ? DEFAULT_CPU_REQUEST_MILLIS : c;
    nonZeroMemory += memoryQuantity === undefined ? DEFAULT_MEMORY_REQUEST_BYTES : m;
    for (const port of container.ports ?? NONE) {
      if (port.hostPort === undefined) continue;
      const key = hostPortKey(port.protocol, port.hostPort);
      hostPorts ??= [];
      if (!hostPorts.includes(key)) hostPorts.push(key);
    }
  }
  const affinity = pod.spec.affinity;
  return {
    pod,
    key: `${namespace}/${pod.metadata.name}`,
    uid: pod.metadata.uid,
    namespace,
    labels: pod.metadata.labels ?? NO_LABELS,
    controllerUid: pod.metadata.ownerReferences?.find((ref) => ref.controller === true)?.uid,
    cpuMillis: cpu,
    memoryBytes: memory,
    nonZeroCpuMillis: nonZeroCpu,
    nonZeroMemoryBytes: nonZeroMemory,
    hostPorts: hostPorts ?? NONE,
    requiredAffinityTerms: requiredTerms(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, namespace),
    requiredAntiAffinityTerms: requiredTerms(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, namespace),
    preferredAffinityTerms: preferredTerms(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, namespace),
    preferredAntiAffinityTerms: preferredTerms(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, namespace),
  };
}

function resolveTerm(term: PodAffinityTerm, namespace: string): AffinityTerm {
  const namespaces = term.namespaces !== undefined && term.namespaces.length > 0 ? term.namespaces : [namespace];
  return { selector: term.labelSelector, namespaces: new Set(namespaces), topologyKey: term.topologyKey };
}

function requiredTerms(terms: readonly PodAffinityTerm[] | undefined, namespace: string): readonly AffinityTerm[] {
  if (terms === undefined || terms.length === 0) return NONE;
  return terms.map((term) => resolveTerm(term, namespace));
}

function preferredTerms(terms: readonly WeightedPodAffinityTerm[] | undefined, namespace: string): readonly WeightedAffinityTerm[] {
  if (terms === undefined || terms.length === 0) return NONE;
  return terms.map((term) => ({ ...resolveTerm(term.podAffinityTerm, namespace), weight: term.weight }));
}
