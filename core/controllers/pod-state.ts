// What controllers read off a pod: is it terminating, finished, active,
// ready, available, and since when.

import type { Pod } from '../api/index.js';
import { findCondition } from './conditions.js';
import { msOf } from './time.js';

/** Being deleted gracefully: counted by no controller, never deleted again (except by force). */
export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** Its containers are done for good (phase Succeeded or Failed). */
export function isFinished(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Counts towards a controller's replicas: neither terminating nor finished. */
export function isActive(pod: Pod): boolean {
  return !isTerminating(pod) && !isFinished(pod);
}

/** The Ready condition is True. */
export function isReady(pod: Pod): boolean {
  return findCondition(pod.status?.conditions, 'Ready')?.status === 'True';
}

/** When the pod last became ready (ms), if it is ready and that time is known. */
export function readySinceMs(pod: Pod): number | undefined {
  const ready = findCondition(pod.status?.conditions, 'Ready');
  return ready?.status === 'True' ? msOf(ready.lastTransitionTime) : undefined;
}

/** Availability of one pod at one instant. */
export type Availability =
  | { readonly type: 'available' }
  /** Ready, and becomes available in `inMs` if it stays ready. */
  | { readonly type: 'soon'; readonly inMs: number }
  | { readonly type: 'unavailable' };

/**
 * Whether a pod is available at `nowMs`: ready for at least
 * `minReadySeconds`, counted from the Ready condition's lastTransitionTime
 * (a ready pod without one is available only when minReadySeconds is 0).
 */
export function availabilityOf(pod: Pod, minReadySeconds: number, nowMs: number): Availability {
  if (!isReady(pod)) return { type: 'unavailable' };
  if (minReadySeconds <= 0) return { type: 'available' };
  const since = readySinceMs(pod);
  if (since === undefined) return { type: 'unavailable' };
  const availableAtMs = since + minReadySeconds * 1_000;
  return availableAtMs <= nowMs ? { type: 'available' } : { type: 'soon', inMs: availableAtMs - nowMs };
}

export function isAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return availabilityOf(pod, minReadySeconds, nowMs).type === 'available';
}

/** The highest restart count of the pod's containers (0 without statuses). */
export function maxRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount);
  return max;
}
