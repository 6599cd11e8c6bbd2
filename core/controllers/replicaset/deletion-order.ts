// Which pods a ReplicaSet deletes first when it has too many: those that
// cost the least to lose, in the order Kubernetes uses.

import type { Pod, PodPhase } from '../../api/index.js';
import { isReady, maxRestarts, readySinceMs } from '../pod-state.js';
import { msOf } from '../time.js';

/** Pending pods have done the least work, Running ones the most. */
const PHASE_RANK: Readonly<Record<PodPhase, number>> = { Pending: 0, Unknown: 1, Running: 2, Succeeded: 3, Failed: 3 };

/**
 * Negative when `a` should be deleted before `b`. In order: unscheduled
 * before scheduled; Pending before Unknown before Running; not ready before
 * ready; ready for less time before ready for longer (so a pod not yet
 * available goes before an available one); more container restarts first;
 * newer before older; then by name, so the order is total.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const scheduledA = a.spec.nodeName !== undefined && a.spec.nodeName !== '';
  const scheduledB = b.spec.nodeName !== undefined && b.spec.nodeName !== '';
  if (scheduledA !== scheduledB) return scheduledA ? 1 : -1;

  const phaseA = PHASE_RANK[a.status?.phase ?? 'Pending'];
  const phaseB = PHASE_RANK[b.status?.phase ?? 'Pending'];
  if (phaseA !== phaseB) return phaseA - phaseB;

  const readyA = isReady(a);
  const readyB = isReady(b);
  if (readyA !== readyB) return readyA ? 1 : -1;

  if (readyA) {
    // A later transition to ready means ready for less time: delete it first. Unknown times sort as "just now".
    const sinceA = readySinceMs(a) ?? Number.POSITIVE_INFINITY;
    const sinceB = readySinceMs(b) ?? Number.POSITIVE_INFINITY;
    if (sinceA !== sinceB) return sinceA > sinceB ? -1 : 1;
  }

  const restartsA = maxRestarts(a);
  const restartsB = maxRestarts(b);
  if (restartsA !== restartsB) return restartsB - restartsA;

  const createdA = msOf(a.metadata.creationTimestamp) ?? Number.POSITIVE_INFINITY;
  const createdB = msOf(b.metadata.creationTimestamp) ?? Number.POSITIVE_INFINITY;
  if (createdA !== createdB) return createdA > createdB ? -1 : 1;

  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** The `count` pods of `pods` to delete first. */
export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  if (count <= 0) return [];
  return [...pods].sort(compareForDeletion).slice(0, count);
}
