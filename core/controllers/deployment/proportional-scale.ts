// Scaling a Deployment (a change of spec.replicas) while more than one of
// its ReplicaSets has pods: every active set grows or shrinks by the same
// factor, so a rollout in progress keeps its proportions, and a paused one
// stays paused at every size.

import { desiredReplicasOf as annotatedDesiredOf } from './annotations.js';
import type { ReplicaSetState } from './replica-set-state.js';
import { eventualAvailable } from './replica-set-state.js';

/**
 * Whether the Deployment was scaled since its sets were last sized: an
 * active set (size > 0) records other desired replicas than `desired`.
 * Sets without the record (adopted ones) say nothing.
 */
export function isScalingEvent(desired: number, states: readonly ReplicaSetState[]): boolean {
  return states.some((s) => {
    if (s.replicas === 0) return false;
    const recorded = annotatedDesiredOf(s.rs);
    return recorded !== undefined && recorded !== desired;
  });
}

/**
 * `total` split over `sizes` in proportion to them (largest remainders get
 * the rounding, ties to the earlier entry). Sizes must sum to more than 0.
 */
export function proportionalSplit(sizes: readonly number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  const shares = sizes.map((s) => Math.floor((s * total) / sum));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = sizes
    .map((s, i) => ({ i, remainder: (s * total) % sum }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left--;
  }
  return shares;
}

/**
 * New sizes for a scaled Deployment, one per state, in the order given
 * (`states` newest first: the new set, then old ones by revision
 * descending, so rounding favours newer sets):
 *
 * - no set active: the newest gets `desired`;
 * - one set active: it gets `desired`;
 * - the new set (`newIndex`) already has all `desired` pods available:
 *   the old sets go to 0;
 * - else every active set is scaled by the same factor to `desired +
 *   maxSurge` pods in all (`desired` alone with no surge, and 0 for 0).
 */
export function scaledSizes(desired: number, maxSurge: number, states: readonly ReplicaSetState[], newIndex: number | undefined): number[] {
  const sizes = states.map((s) => s.replicas);
  const activeIndexes = sizes.flatMap((size, i) => (size > 0 ? [i] : []));
  if (activeIndexes.length <= 1) {
    const target = activeIndexes[0] ?? 0;
    if (target < sizes.length) sizes[target] = desired;
    return sizes;
  }
  const newState = newIndex !== undefined ? states[newIndex] : undefined;
  if (newState !== undefined && newState.replicas === desired && eventualAvailable(newState) === desired) {
    return sizes.map((size, i) => (i === newIndex ? size : 0));
  }
  const allowed = desired > 0 ? desired + maxSurge : 0;
  const split = proportionalSplit(
    activeIndexes.map((i) => sizes[i] ?? 0),
    allowed,
  );
  activeIndexes.forEach((i, k) => {
    sizes[i] = split[k] ?? 0;
  });
  return sizes;
}
