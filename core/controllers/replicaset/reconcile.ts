// The ReplicaSet controller's reconcile: keep `spec.replicas` active pods
// of the template, and report what it sees.

import type { Pod, ReplicaSet } from '../../api/index.js';
import { deleteOf } from '../actions.js';
import type { ControllerAction, ReconcileResult } from '../actions.js';
import { claimObjects } from '../claim.js';
import { isActive } from '../pod-state.js';
import { podsToDelete } from './deletion-order.js';
import { podFromTemplate } from './pod-from-template.js';
import { observeReplicaSetStatus, sameReplicaSetStatus } from './status.js';

/** Pods created or deleted by one reconcile at most, as Kubernetes' burstReplicas. */
export const DEFAULT_BURST_REPLICAS = 500;

export interface ReplicaSetReconcileOptions {
  /** A fresh pod name suffix on each call: lowercase alphanumeric, e.g. 5 characters from the driver's Random. */
  readonly newSuffix: () => string;
  /** Pods created or deleted by one reconcile at most; the rest wait for the next round. Defaults to 500. */
  readonly burstReplicas?: number;
}

/**
 * What `rs` needs, given every pod of its namespace at `nowMs`:
 *
 * 1. adopt matching orphans (an update adding the set as controller) and
 *    release owned pods the selector no longer matches (an update removing
 *    the reference);
 * 2. count the active pods (owned, not terminating, not finished), then
 *    create pods from the template while there are fewer than
 *    `spec.replicas`, or delete the surplus, cheapest first (see
 *    compareForDeletion), at most `burstReplicas` either way;
 * 3. write the status (an `updateStatus`) only when it changed.
 *
 * A set being deleted only reports its status. `requeueAfterMs` is set when
 * a ready pod becomes available later (minReadySeconds), or 0 when the
 * burst limit left work undone.
 *
 * The driver must not reconcile again from a view older than these writes
 * (wait until its watch has seen them), or it creates or deletes twice.
 */
export function reconcileReplicaSet(
  rs: ReplicaSet,
  podsInNamespace: readonly Pod[],
  nowMs: number,
  opts: ReplicaSetReconcileOptions,
): ReconcileResult {
  const burst = opts.burstReplicas ?? DEFAULT_BURST_REPLICAS;
  const actions: ControllerAction[] = [];
  const { claimed, adopted, released } = claimObjects(rs, rs.spec.selector, podsInNamespace);
  for (const pod of [...adopted, ...released]) actions.push({ type: 'update', object: pod });

  const active = claimed.filter(isActive);
  const desired = rs.spec.replicas ?? 1;
  let leftOver = false;
  if (rs.metadata.deletionTimestamp === undefined) {
    const diff = desired - active.length;
    if (diff > 0) {
      const count = Math.min(diff, burst);
      for (let i = 0; i < count; i++) actions.push({ type: 'create', object: podFromTemplate(rs, opts.newSuffix()) });
      leftOver = count < diff;
    } else if (diff < 0) {
      const count = Math.min(-diff, burst);
      for (const pod of podsToDelete(active, count)) actions.push(deleteOf(pod));
      leftOver = count < -diff;
    }
  }

  // Observed, as seen now: pods just asked for are counted when they exist.
  const observed = observeReplicaSetStatus(rs, active, nowMs);
  if (!sameReplicaSetStatus(rs.status, observed.status)) {
    actions.push({ type: 'updateStatus', object: { ...rs, status: observed.status } });
  }
  const requeueAfterMs = leftOver ? 0 : observed.nextAvailableInMs;
  return { actions, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}
