// A ReplicaSet's status, as observed from its pods.

import type { Pod, ReplicaSet, ReplicaSetStatus } from '../../api/index.js';
import { availabilityOf, isReady } from '../pod-state.js';
import { soonest } from '../time.js';

export interface ObservedReplicaSetStatus {
  readonly status: ReplicaSetStatus;
  /** When the next ready pod becomes available (minReadySeconds), in ms from now. */
  readonly nextAvailableInMs?: number;
}

function hasAllLabels(pod: Pod, wanted: Readonly<Record<string, string>> | undefined): boolean {
  const have = pod.metadata.labels ?? {};
  return Object.entries(wanted ?? {}).every(([k, v]) => Object.hasOwn(have, k) && have[k] === v);
}

/**
 * The status of `rs` given its active pods (owned, neither terminating nor
 * finished) at `nowMs`. Conditions are carried over as they are: this
 * controller does not report ReplicaFailure, which needs the outcome of
 * writes a pure reconcile does not see.
 */
export function observeReplicaSetStatus(rs: ReplicaSet, activePods: readonly Pod[], nowMs: number): ObservedReplicaSetStatus {
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  const templateLabels = rs.spec.template.metadata?.labels;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  let nextAvailableInMs: number | undefined;
  for (const pod of activePods) {
    if (hasAllLabels(pod, templateLabels)) fullyLabeled++;
    if (isReady(pod)) ready++;
    const availability = availabilityOf(pod, minReadySeconds, nowMs);
    if (availability.type === 'available') available++;
    else if (availability.type === 'soon') nextAvailableInMs = soonest(nextAvailableInMs, availability.inMs);
  }
  const generation = rs.metadata.generation;
  const conditions = rs.status?.conditions;
  const status: ReplicaSetStatus = {
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    ...(conditions !== undefined ? { conditions } : {}),
  };
  return { status, ...(nextAvailableInMs !== undefined ? { nextAvailableInMs } : {}) };
}

/** Whether two statuses say the same (absent counts are 0). Conditions are compared by reference: this controller carries them over unchanged. */
export function sameReplicaSetStatus(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  if (a === undefined) return false;
  return (
    a.replicas === b.replicas &&
    (a.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (a.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (a.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    a.observedGeneration === b.observedGeneration &&
    a.conditions === b.conditions
  );
}
