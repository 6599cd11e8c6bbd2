// One of a Deployment's ReplicaSets as the rollout sees it: its planned
// size and what its pods are doing.

import type { Pod, ReplicaSet } from '../../api/index.js';
import { availabilityOf, isActive, isFinished, isReady } from '../pod-state.js';
import { msOf, soonest } from '../time.js';
import { revisionOf } from './annotations.js';

/** The counts the rollout arithmetic works on. */
export interface RolloutCounts {
  /** spec.replicas (as planned so far in this reconcile). */
  readonly replicas: number;
  /** Pods neither terminating nor finished. */
  readonly active: number;
  /** Active pods ready for minReadySeconds. */
  readonly available: number;
}

export interface ReplicaSetState extends RolloutCounts {
  /** The set as planned so far in this reconcile (the version read, or the one about to be written). */
  readonly rs: ReplicaSet;
  /** Active pods whose Ready condition is True. */
  readonly ready: number;
  /** Pods not finished, terminating ones included: Recreate waits for these to be gone. */
  readonly running: number;
  /** When the next ready pod becomes available, in ms from now. */
  readonly nextAvailableInMs?: number;
}

/**
 * Pods the set has once its controller catches up: its size, or more while
 * it still deletes a surplus. Counting the larger keeps the surge bound
 * true while the ReplicaSet controller lags behind a scale-down.
 */
export function eventualTotal(c: RolloutCounts): number {
  return Math.max(c.replicas, c.active);
}

/**
 * Available pods the set keeps once its controller catches up: it deletes
 * unavailable pods first, so a set scaled below its available pods keeps
 * `replicas` of them. Counting the smaller keeps the availability bound
 * true while the ReplicaSet controller lags behind a scale-down.
 */
export function eventualAvailable(c: RolloutCounts): number {
  return Math.min(c.available, c.replicas);
}

export function replicasOf(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 1;
}

/** The state of `rs` from its pods (those it controls) at `nowMs`. */
export function replicaSetState(rs: ReplicaSet, pods: readonly Pod[], minReadySeconds: number, nowMs: number): ReplicaSetState {
  let active = 0;
  let ready = 0;
  let available = 0;
  let running = 0;
  let nextAvailableInMs: number | undefined;
  for (const pod of pods) {
    if (!isFinished(pod)) running++;
    if (!isActive(pod)) continue;
    active++;
    if (isReady(pod)) ready++;
    const a = availabilityOf(pod, minReadySeconds, nowMs);
    if (a.type === 'available') available++;
    else if (a.type === 'soon') nextAvailableInMs = soonest(nextAvailableInMs, a.inMs);
  }
  return {
    rs,
    replicas: replicasOf(rs),
    active,
    ready,
    available,
    running,
    ...(nextAvailableInMs !== undefined ? { nextAvailableInMs } : {}),
  };
}

/** The same state with the set replaced by its planned next version. */
export function withReplicaSet(state: ReplicaSetState, rs: ReplicaSet): ReplicaSetState {
  return { ...state, rs, replicas: replicasOf(rs) };
}

/** Oldest first: by revision, then creation time, then name. */
export function compareOldestFirst(a: ReplicaSet, b: ReplicaSet): number {
  const byRevision = revisionOf(a) - revisionOf(b);
  if (byRevision !== 0) return byRevision;
  const createdA = msOf(a.metadata.creationTimestamp) ?? 0;
  const createdB = msOf(b.metadata.creationTimestamp) ?? 0;
  if (createdA !== createdB) return createdA - createdB;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
