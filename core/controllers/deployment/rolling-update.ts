// The arithmetic of a rolling update: how far the new ReplicaSet may grow
// and how far the old ones may shrink, given the surge and unavailability
// budgets. Pure numbers; the reconcile turns them into writes.
//
// Invariants, once every ReplicaSet controller has caught up with the sizes
// chosen here (each deletes unavailable pods first):
//   pods       <= desired + maxSurge
//   available  >= desired - maxUnavailable, unless fewer were available to begin with

import type { RolloutCounts } from './replica-set-state.js';
import { eventualAvailable, eventualTotal } from './replica-set-state.js';

/**
 * The new size of the new ReplicaSet: towards `desired`, as far as the surge
 * allows (every set's pods, counted as eventualTotal, at most desired +
 * maxSurge); down to `desired` when it is above.
 */
export function newReplicaSetSize(desired: number, maxSurge: number, newRs: RolloutCounts, oldRss: readonly RolloutCounts[]): number {
  if (newRs.replicas >= desired) return desired;
  const maxTotal = desired + maxSurge;
  const total = eventualTotal(newRs) + oldRss.reduce((sum, c) => sum + eventualTotal(c), 0);
  if (total >= maxTotal) return newRs.replicas;
  return Math.min(desired, newRs.replicas + (maxTotal - total));
}

/**
 * The new sizes of the old ReplicaSets (`oldRss` oldest first, sizes in the
 * same order). Two passes, as Kubernetes does:
 *
 * 1. shrink old sets by their unavailable pods (their size beyond what they
 *    have available), oldest first: losing those costs no availability.
 *    Bounded by what may go at all: every set's size, minus the minimum
 *    available, minus the new set's unavailable pods, so a new set that is
 *    not coming up does not let the old ones shrink with it;
 * 2. shrink old sets further by the available pods beyond the minimum
 *    (desired - maxUnavailable), oldest first.
 */
export function oldReplicaSetSizes(
  desired: number,
  maxUnavailable: number,
  newRs: RolloutCounts,
  oldRss: readonly RolloutCounts[],
): number[] {
  const sizes = oldRss.map((c) => c.replicas);
  const minAvailable = desired - maxUnavailable;
  const allSizes = newRs.replicas + sizes.reduce((a, b) => a + b, 0);
  const newUnavailable = newRs.replicas - eventualAvailable(newRs);
  const maxShrink = allSizes - minAvailable - newUnavailable;
  if (maxShrink <= 0) return sizes;

  let shrunk = 0;
  for (let i = 0; i < oldRss.length && shrunk < maxShrink; i++) {
    const c = oldRss[i];
    const size = sizes[i];
    if (c === undefined || size === undefined || size === 0) continue;
    const unhealthy = size - eventualAvailable(c);
    const cut = Math.min(unhealthy, maxShrink - shrunk);
    if (cut <= 0) continue;
    sizes[i] = size - cut;
    shrunk += cut;
  }

  let available = eventualAvailable(newRs);
  for (let i = 0; i < oldRss.length; i++) {
    const c = oldRss[i];
    const size = sizes[i];
    if (c !== undefined && size !== undefined) available += Math.min(c.available, size);
  }
  let spare = available - minAvailable;
  for (let i = 0; i < sizes.length && spare > 0; i++) {
    const size = sizes[i];
    if (size === undefined || size === 0) continue;
    const cut = Math.min(size, spare);
    sizes[i] = size - cut;
    spare -= cut;
  }
  return sizes;
}
