// Revision history: old ReplicaSets kept at size 0 so a rollout can be
// undone, at most revisionHistoryLimit of them.

import type { ReplicaSet } from '../../api/index.js';
import type { ReplicaSetState } from './replica-set-state.js';
import { compareOldestFirst } from './replica-set-state.js';

/**
 * The old sets to delete: of those scaled to 0 with no pod left running
 * (and not already being deleted), the oldest beyond the newest `limit`.
 */
export function replicaSetsBeyondHistory(oldStates: readonly ReplicaSetState[], limit: number): ReplicaSet[] {
  const retired = oldStates
    .filter((s) => s.replicas === 0 && s.running === 0 && s.rs.metadata.deletionTimestamp === undefined)
    .map((s) => s.rs)
    .sort(compareOldestFirst);
  const excess = retired.length - Math.max(0, limit);
  return excess > 0 ? retired.slice(0, excess) : [];
}
