// The controllers' pure logic: each reconcile takes the desired and the
// observed state (and the time, and what else it needs as arguments) and
// returns the actions that move one towards the other. No I/O, no clock,
// no randomness; the drivers (actors) watch the store, call these and
// perform the actions through the API.
//
//   const { actions, requeueAfterMs } = reconcileReplicaSet(rs, podsOfNamespace, nowMs, { newSuffix });
//   reconcileDeployment(deployment, replicaSetsOfNamespace, podsOfNamespace, nowMs);
//   reconcileNodeLifecycle({ nodes, lastHeartbeatMs, leaderSinceMs, nowMs, podsByNode });
//   reconcileGarbage(objectsWithOwners, new Set(owners.map(ownerKeyOf)));

// Actions and results.
export type { ControllerAction, DeleteAction, EventAction, ReconcileResult } from './actions.js';
export { deleteOf, referenceTo } from './actions.js';

// Shared helpers.
export { findCondition, removeCondition, setCondition } from './conditions.js';
export type { HasMetadata } from './owner-refs.js';
export { controllerOf, controllerRefTo, isControlledBy, isOwnedBy, withControllerRef, withoutOwner } from './owner-refs.js';
export type { ClaimResult } from './claim.js';
export { claimObjects } from './claim.js';
export type { Availability } from './pod-state.js';
export { availabilityOf, isActive, isAvailable, isFinished, isReady, isTerminating, maxRestarts } from './pod-state.js';
export { canonicalJson, jsonEqual } from './canonical-json.js';

// ReplicaSet.
export type { ReplicaSetReconcileOptions } from './replicaset/reconcile.js';
export { DEFAULT_BURST_REPLICAS, reconcileReplicaSet } from './replicaset/reconcile.js';
export { compareForDeletion, podsToDelete } from './replicaset/deletion-order.js';
export { podFromTemplate } from './replicaset/pod-from-template.js';

// Deployment.
export { reconcileDeployment } from './deployment/reconcile.js';
export {
  DESIRED_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  revisionOf,
} from './deployment/annotations.js';
export { podTemplateHash, runsTemplateOf } from './deployment/template-hash.js';
export type { RolloutBudget } from './deployment/rollout-params.js';
export { resolveIntOrPercent, rolloutBudgetOf } from './deployment/rollout-params.js';
export type { RollbackTarget } from './deployment/rollback.js';
export { rollbackTarget } from './deployment/rollback.js';
export type { RolloutStatus } from './deployment/rollout-status.js';
export { rolloutStatus } from './deployment/rollout-status.js';
export { PROGRESSING_REASONS } from './deployment/status.js';

// Node lifecycle.
export type { NodeLifecycleInput } from './node-lifecycle/reconcile.js';
export { reconcileNodeLifecycle } from './node-lifecycle/reconcile.js';
export type { NodeLifecycleOptions } from './node-lifecycle/options.js';
export {
  DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS,
  DEFAULT_POD_EVICTION_TIMEOUT_MS,
  nodeLifecycleOptions,
  UNREACHABLE_TAINT_KEY,
} from './node-lifecycle/options.js';
export type { NodeHealth } from './node-lifecycle/node-health.js';
export { judgeNode } from './node-lifecycle/node-health.js';
export { tolerates } from './node-lifecycle/tolerations.js';

// Garbage collection.
export { ownerKey, ownerKeyOf, reconcileGarbage } from './gc/reconcile.js';

// Errors.
export { ControllerError, RollbackRevisionNotFoundError } from './errors.js';
