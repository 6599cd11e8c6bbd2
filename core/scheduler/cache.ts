// The scheduler's cache: its view of nodes and of the pods counted on them,
// including the pods it has placed but whose binding has not come back yet.
//
// Assumed placements let a burst of pods be placed back to back: each is
// counted on its node the moment it is placed, so the next cycle sees it.
// An assumption ends one of three ways:
//   confirmed - upsertPod shows the pod bound (to that node or, if someone
//               else won, to another: it moves);
//   forgotten - forget(): the bind failed;
//   expired   - expire(nowMs) once assumedPodTtlMs passed with neither.
// Pods are keyed by `namespace/name` and told apart by uid: a pod recreated
// under the same name is another pod, and replaces the old one's entry.

import type { Node, Pod } from '../api/index.js';
import { SchedulerCacheError } from './errors.js';
import { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { isPodInfo, podInfoOf, podKeyOf } from './pod-info.js';
import type { ClusterSnapshot } from './snapshot.js';

export interface SchedulerCacheOptions {
  /** How long an assumed placement waits for its confirmation before expire() drops it. */
  readonly assumedPodTtlMs: number;
}

export const DEFAULT_SCHEDULER_CACHE_OPTIONS: SchedulerCacheOptions = { assumedPodTtlMs: 30_000 };

/** Where the cache counts a pod. */
export interface Placement {
  readonly podKey: string;
  readonly uid: string | undefined;
  readonly nodeName: string;
  /** Placed by this scheduler and not yet seen bound. */
  readonly assumed: boolean;
}

/** An assumption that expire() dropped: the driver should retry the pod. */
export interface ExpiredAssumption {
  readonly pod: Pod;
  readonly podKey: string;
  readonly nodeName: string;
  readonly assumedAtMs: number;
}

interface PodEntry {
  readonly info: PodInfo;
  readonly nodeName: string;
  /** Set while assumed; undefined once confirmed. */
  readonly assumedAtMs: number | undefined;
}

export class SchedulerCache implements ClusterSnapshot {
  private readonly options: SchedulerCacheOptions;
  /** Every NodeInfo, ghosts included. */
  private readonly nodes = new Map<string, NodeInfo>();
  /** The NodeInfos that have a Node, in the order they first appeared. Invariant: nodeIndex maps each to its position. */
  private readonly nodeList: NodeInfo[] = [];
  private readonly nodeIndex = new Map<string, number>();
  private readonly pods = new Map<string, PodEntry>();
  /** Keys of assumed pods, oldest first. */
  private readonly assumedKeys = new Set<string>();
  private antiAffinityPodCount = 0;
  private preferNoScheduleNodeCount = 0;

  constructor(options: Partial<SchedulerCacheOptions> = {}) {
    this.options = { ...DEFAULT_SCHEDULER_CACHE_OPTIONS, ...options };
  }

  get nodeInfos(): readonly NodeInfo[] {
    return this.nodeList;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  get podsWithRequiredAntiAffinityCount(): number {
    return this.antiAffinityPodCount;
  }

  get nodesWithPreferNoScheduleTaintsCount(): number {
    return this.preferNoScheduleNodeCount;
  }

  /** Pods the cache counts on nodes (bound and assumed). */
  get podCount(): number {
    return this.pods.size;
  }

  get assumedPodCount(): number {
    return this.assumedKeys.size;
  }

  placementOf(podKey: string): Placement | undefined {
    const entry = this.pods.get(podKey);
    if (entry === undefined) return undefined;
    return { podKey, uid: entry.info.uid, nodeName: entry.nodeName, assumed: entry.assumedAtMs !== undefined };
  }

  isAssumed(podKey: string): boolean {
    return this.assumedKeys.has(podKey);
  }

  upsertNode(node: Node): void {
    const name = node.metadata.name;
    let info = this.nodes.get(name);
    if (info === undefined) {
      info = new NodeInfo(name);
      this.nodes.set(name, info);
    }
    if (info.preferNoScheduleTaints.length > 0) this.preferNoScheduleNodeCount--;
    info.setNode(node);
    if (info.preferNoScheduleTaints.length > 0) this.preferNoScheduleNodeCount++;
    if (!this.nodeIndex.has(name)) {
      this.nodeIndex.set(name, this.nodeList.length);
      this.nodeList.push(info);
    }
  }

  /** Forgets the node; pods still bound or assumed there stay counted (on a ghost) until they go. */
  removeNode(name: string): void {
    const info = this.nodes.get(name);
    const at = this.nodeIndex.get(name);
    if (info === undefined || at === undefined) return;
    if (info.preferNoScheduleTaints.length > 0) this.preferNoScheduleNodeCount--;
    info.setNode(undefined);
    this.nodeList.splice(at, 1);
    this.nodeIndex.delete(name);
    for (let i = at; i < this.nodeList.length; i++) this.nodeIndex.set(this.nodeList[i]!.name, i);
    if (info.podCount === 0) this.nodes.delete(name);
  }

  /**
   * Takes in a pod as the store has it now. A pod bound to a node (spec.nodeName)
   * and not finished counts there, confirming its assumption if it had one; a
   * finished pod (Succeeded, Failed) counts nowhere. An unbound pod changes
   * nothing, except that a different uid under the same key drops the old pod.
   */
  upsertPod(pod: Pod): void {
    const key = podKeyOf(pod);
    let entry = this.pods.get(key);
    if (entry !== undefined && entry.info.uid !== pod.metadata.uid) {
      this.drop(key, entry);
      entry = undefined;
    }
    const nodeName = pod.spec.nodeName;
    const phase = pod.status?.phase;
    const finished = phase === 'Succeeded' || phase === 'Failed';
    if (nodeName === undefined || finished) {
      // Still unbound while assumed: the bind is in flight, keep counting it.
      if (entry !== undefined && (finished || entry.assumedAtMs === undefined)) this.drop(key, entry);
      return;
    }
    if (entry !== undefined) this.unaccount(entry);
    const info = podInfoOf(pod);
    this.account(info, nodeName);
    this.pods.set(key, { info, nodeName, assumedAtMs: undefined });
    this.assumedKeys.delete(key);
  }

  /** The pod is gone from the store. With a uid, only that incarnation is removed (a stale delete leaves a newer pod alone). */
  removePod(podKey: string, uid?: string): void {
    const entry = this.pods.get(podKey);
    if (entry === undefined) return;
    if (uid !== undefined && entry.info.uid !== undefined && entry.info.uid !== uid) return;
    this.drop(podKey, entry);
  }

  /**
   * Counts the pod on `nodeName` now, before its binding commits. Throws
   * SchedulerCacheError if the pod (same key and uid) is already counted
   * somewhere or the node is unknown: both are driver bugs.
   */
  assume(pod: Pod | PodInfo, nodeName: string, nowMs: number): void {
    const info = isPodInfo(pod) ? pod : podInfoOf(pod);
    const existing = this.pods.get(info.key);
    if (existing !== undefined) {
      if (existing.info.uid === info.uid) {
        throw new SchedulerCacheError('POD_ALREADY_PLACED', info.key, nodeName, `pod ${info.key} is already ${existing.assumedAtMs !== undefined ? 'assumed' : 'bound'} on node ${existing.nodeName}`);
      }
      this.drop(info.key, existing);
    }
    if (!this.nodeIndex.has(nodeName)) {
      throw new SchedulerCacheError('NODE_NOT_FOUND', info.key, nodeName, `cannot assume pod ${info.key} on unknown node ${nodeName}`);
    }
    this.account(info, nodeName);
    this.pods.set(info.key, { info, nodeName, assumedAtMs: nowMs });
    this.assumedKeys.add(info.key);
  }

  /**
   * Drops an assumption whose bind failed, so the pod's resources are free
   * again. Returns false (and changes nothing) if the pod is not assumed,
   * e.g. already confirmed, or if a uid is given and the assumed pod has another.
   */
  forget(podKey: string, uid?: string): boolean {
    const entry = this.pods.get(podKey);
    if (entry === undefined || entry.assumedAtMs === undefined) return false;
    if (uid !== undefined && entry.info.uid !== undefined && entry.info.uid !== uid) return false;
    this.drop(podKey, entry);
    return true;
  }

  /** Drops the assumptions made at or before `nowMs - assumedPodTtlMs` and not confirmed since; returns them, oldest first. */
  expire(nowMs: number): readonly ExpiredAssumption[] {
    const expired: ExpiredAssumption[] = [];
    for (const key of this.assumedKeys) {
      const entry = this.pods.get(key);
      if (entry?.assumedAtMs === undefined) continue; // unreachable: assumedKeys holds assumed entries only
      if (nowMs - entry.assumedAtMs < this.options.assumedPodTtlMs) continue;
      expired.push({ pod: entry.info.pod, podKey: key, nodeName: entry.nodeName, assumedAtMs: entry.assumedAtMs });
    }
    for (const e of expired) {
      const entry = this.pods.get(e.podKey);
      if (entry !== undefined) this.drop(e.podKey, entry);
    }
    return expired;
  }

  private account(info: PodInfo, nodeName: string): void {
    let node = this.nodes.get(nodeName);
    if (node === undefined) {
      node = new NodeInfo(nodeName); // a ghost until its Node arrives
      this.nodes.set(nodeName, node);
    }
    node.addPod(info);
    if (info.requiredAntiAffinityTerms.length > 0) this.antiAffinityPodCount++;
  }

  private unaccount(entry: PodEntry): void {
    const node = this.nodes.get(entry.nodeName);
    if (node?.removePod(entry.info.key) === undefined) return;
    if (entry.info.requiredAntiAffinityTerms.length > 0) this.antiAffinityPodCount--;
    if (node.node === undefined && node.podCount === 0) this.nodes.delete(entry.nodeName);
  }

  private drop(key: string, entry: PodEntry): void {
    this.unaccount(entry);
    this.pods.delete(key);
    this.assumedKeys.delete(key);
  }
}
