// NodeInfo: one node and the pods counted on it (bound or assumed), with the
// sums and indexes the filters and scores read on every cycle kept up to date
// as pods come and go, so that checking a node is a few comparisons.

import type { Labels, Node, Taint } from '../api/index.js';
import { cpuMillis, count, memoryBytes } from './quantities.js';
import type { PodInfo } from './pod-info.js';

/** Pods a node takes when its allocatable names no pod count, as in Kubernetes. */
export const DEFAULT_ALLOCATABLE_PODS = 110;

const NO_TAINTS: readonly Taint[] = Object.freeze([]);
const NO_LABELS: Labels = Object.freeze({});

/**
 * A node and its pods. The cache owns and mutates it; everyone else reads.
 * A NodeInfo may exist without its Node (a "ghost"): pods bound to a node the
 * scheduler has not seen, or that was removed, stay counted until they go.
 */
export class NodeInfo {
  private nodeValue: Node | undefined;
  private labelsValue: Labels = NO_LABELS;
  private readonly labelMap = new Map<string, string>();
  private readyValue = false;
  private unschedulableValue = false;
  private allocatableCpu = 0;
  private allocatableMemory = 0;
  private allocatablePodCount = DEFAULT_ALLOCATABLE_PODS;
  private hardTaintsValue: readonly Taint[] = NO_TAINTS;
  private preferNoScheduleTaintsValue: readonly Taint[] = NO_TAINTS;

  private readonly podMap = new Map<string, PodInfo>();
  private requestedCpu = 0;
  private requestedMemory = 0;
  private nonZeroCpu = 0;
  private nonZeroMemory = 0;
  /** hostPortKey -> pods using it (more than one only if something bound past the scheduler). */
  private readonly hostPortUse = new Map<number, number>();
  /** controller uid -> pods of that owner here. */
  private readonly ownerPods = new Map<string, number>();
  /** label key -> label value -> pods here carrying it: lets affinity skip nodes without scanning their pods. */
  private readonly podLabelIndex = new Map<string, Map<string, number>>();
  private readonly antiAffinityPods: PodInfo[] = [];

  constructor(readonly name: string) {}

  /** The node, or undefined for a ghost. */
  get node(): Node | undefined {
    return this.nodeValue;
  }
  get labels(): Labels {
    return this.labelsValue;
  }
  /** The value of a node label (never one inherited from Object.prototype). */
  labelValue(key: string): string | undefined {
    return this.labelMap.get(key);
  }
  /** Its Ready condition is True. */
  get ready(): boolean {
    return this.readyValue;
  }
  /** Cordoned: spec.unschedulable. */
  get unschedulable(): boolean {
    return this.unschedulableValue;
  }
  /** From status.allocatable, else status.capacity, else 0. */
  get allocatableCpuMillis(): number {
    return this.allocatableCpu;
  }
  get allocatableMemoryBytes(): number {
    return this.allocatableMemory;
  }
  /** From status.allocatable.pods, else capacity, else DEFAULT_ALLOCATABLE_PODS. */
  get allocatablePods(): number {
    return this.allocatablePodCount;
  }
  /** NoSchedule and NoExecute taints: a pod must tolerate every one. */
  get hardTaints(): readonly Taint[] {
    return this.hardTaintsValue;
  }
  get preferNoScheduleTaints(): readonly Taint[] {
    return this.preferNoScheduleTaintsValue;
  }

  get pods(): ReadonlyMap<string, PodInfo> {
    return this.podMap;
  }
  get podCount(): number {
    return this.podMap.size;
  }
  /** Sum of the pods' requests (what fit checks against allocatable). */
  get requestedCpuMillis(): number {
    return this.requestedCpu;
  }
  get requestedMemoryBytes(): number {
    return this.requestedMemory;
  }
  /** Sum of the pods' requests with defaults for containers that request nothing (what scores read). */
  get nonZeroRequestedCpuMillis(): number {
    return this.nonZeroCpu;
  }
  get nonZeroRequestedMemoryBytes(): number {
    return this.nonZeroMemory;
  }
  hostPortInUse(key: number): boolean {
    return this.hostPortUse.has(key);
  }
  /** Pods here whose controller owner has this uid. */
  ownerPodCount(controllerUid: string): number {
    return this.ownerPods.get(controllerUid) ?? 0;
  }
  /** label value -> pods here carrying `key=value`; undefined when no pod here has the key. */
  podLabelValues(key: string): ReadonlyMap<string, number> | undefined {
    return this.podLabelIndex.get(key);
  }
  /** Pods here with required anti-affinity terms (other pods must keep out of their topology domains). */
  get podsWithRequiredAntiAffinity(): readonly PodInfo[] {
    return this.antiAffinityPods;
  }

  /** Replaces the node object (undefined: the node is gone, its pods stay). */
  setNode(node: Node | undefined): void {
    this.nodeValue = node;
    this.labelMap.clear();
    if (node === undefined) {
      this.labelsValue = NO_LABELS;
      this.readyValue = false;
      this.unschedulableValue = false;
      this.allocatableCpu = 0;
      this.allocatableMemory = 0;
      this.allocatablePodCount = DEFAULT_ALLOCATABLE_PODS;
      this.hardTaintsValue = NO_TAINTS;
      this.preferNoScheduleTaintsValue = NO_TAINTS;
      return;
    }
    this.labelsValue = node.metadata.labels ?? NO_LABELS;
    for (const [key, value] of Object.entries(this.labelsValue)) this.labelMap.set(key, value);
    this.readyValue = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    this.unschedulableValue = node.spec?.unschedulable === true;
    const allocatable = node.status?.allocatable;
    const capacity = node.status?.capacity;
    const cpu = allocatable?.cpu ?? capacity?.cpu;
    const memory = allocatable?.memory ?? capacity?.memory;
    const pods = allocatable?.pods ?? capacity?.pods;
    this.allocatableCpu = cpu === undefined ? 0 : cpuMillis(cpu);
    this.allocatableMemory = memory === undefined ? 0 : memoryBytes(memory);
    this.allocatablePodCount = pods === undefined ? DEFAULT_ALLOCATABLE_PODS : count(pods);
    const taints = node.spec?.taints ?? NO_TAINTS;
    const hard = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    const soft = taints.filter((t) => t.effect === 'PreferNoSchedule');
    this.hardTaintsValue = hard.length > 0 ? hard : NO_TAINTS;
    this.preferNoScheduleTaintsValue = soft.length > 0 ? soft : NO_TAINTS;
  }

  /** Counts a pod here. Adding a key twice is a bug (the cache removes the old version first). */
  addPod(pod: PodInfo): void {
    if (this.podMap.has(pod.key)) throw new Error(`NodeInfo ${this.name}: pod ${pod.key} is already counted here`);
    this.podMap.set(pod.key, pod);
    this.account(pod, 1);
  }

  /** Stops counting a pod here; returns it, or undefined if it was not here. */
  removePod(key: string): PodInfo | undefined {
    const pod = this.podMap.get(key);
    if (pod === undefined) return undefined;
    this.podMap.delete(key);
    this.account(pod, -1);
    return pod;
  }

  private account(pod: PodInfo, sign: 1 | -1): void {
    this.requestedCpu += sign * pod.cpuMillis;
    this.requestedMemory += sign * pod.memoryBytes;
    this.nonZeroCpu += sign * pod.nonZeroCpuMillis;
    this.nonZeroMemory += sign * pod.nonZeroMemoryBytes;
    for (const port of pod.hostPorts) bump(this.hostPortUse, port, sign);
    if (pod.controllerUid !== undefined) bump(this.ownerPods, pod.controllerUid, sign);
    for (const [key, value] of Object.entries(pod.labels)) {
      let values = this.podLabelIndex.get(key);
      if (values === undefined) {
        if (sign < 0) continue;
        values = new Map();
        this.podLabelIndex.set(key, values);
      }
      bump(values, value, sign);
      if (values.size === 0) this.podLabelIndex.delete(key);
    }
    if (pod.requiredAntiAffinityTerms.length > 0) {
      if (sign > 0) this.antiAffinityPods.push(pod);
      else {
        const at = this.antiAffinityPods.indexOf(pod);
        if (at >= 0) this.antiAffinityPods.splice(at, 1);
      }
    }
  }
}

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}
