// The Deployment controller's reconcile: roll the pods over to the current
// template through ReplicaSets, one revision each.

import type { Deployment, Pod, ReplicaSet } from '../../api/index.js';
import type { ControllerAction, ReconcileResult } from '../actions.js';
import { claimObjects } from '../claim.js';
import { jsonEqual } from '../canonical-json.js';
import { controllerOf } from '../owner-refs.js';
import { soonest } from '../time.js';
import { desiredReplicasOf as recordedDesiredOf, REVISION_ANNOTATION, revisionOf } from './annotations.js';
import { replicaSetsBeyondHistory } from './history.js';
import { buildNewReplicaSet, findNewReplicaSet, replicaSetNameFor } from './new-replica-set.js';
import { isScalingEvent, scaledSizes } from './proportional-scale.js';
import type { ReplicaSetState } from './replica-set-state.js';
import { compareOldestFirst, replicaSetState } from './replica-set-state.js';
import { newReplicaSetSize, oldReplicaSetSizes } from './rolling-update.js';
import {
  desiredReplicasOf,
  isRecreate,
  minReadySecondsOf,
  revisionHistoryLimitOf,
  rolloutBudgetOf,
} from './rollout-params.js';
import { RolloutPlan } from './rollout-plan.js';
import { nextDeploymentStatus } from './status.js';
import { podTemplateHash } from './template-hash.js';

/** Where the rollout stands while one reconcile plans it. */
interface Rollout {
  readonly d: Deployment;
  readonly desired: number;
  readonly plan: RolloutPlan;
  newState: ReplicaSetState | undefined;
  /** Oldest first. */
  oldStates: ReplicaSetState[];
  created?: string;
  moved: boolean;
  /** The new set's name was taken: collisionCount was bumped instead. */
  collided: boolean;
  collisionCount: number | undefined;
}

/**
 * What `d` needs, given every ReplicaSet and every pod of its namespace at
 * `nowMs`:
 *
 * 1. claim sets by the selector (adopt orphans, release those it no longer
 *    selects); find the set of the current template (the "new" set);
 * 2. if `d` was scaled (a set records other desired replicas), resize its
 *    active sets in proportion and do nothing else this round;
 * 3. else, unless paused: give the new set the next revision, create it if
 *    there is none (`<deployment>-<hash>`, or bump status.collisionCount when
 *    that name is taken), and move the rollout one step: RollingUpdate
 *    grows the new set within desired + maxSurge pods, or else shrinks old
 *    sets keeping desired - maxUnavailable available (unavailable old pods
 *    first); Recreate scales old sets to 0 and starts the new one only when
 *    no old pod runs (terminating ones included);
 * 4. delete old sets at 0 beyond revisionHistoryLimit, oldest first;
 * 5. write the revision annotation and the status when they change.
 *
 * One step per reconcile, as Kubernetes: the writes trigger the next one.
 * `requeueAfterMs` is set for a pod becoming available (minReadySeconds) or
 * the progress deadline. As for every reconcile here, the driver must not
 * reconcile again from a view older than its own writes.
 */
export function reconcileDeployment(
  d: Deployment,
  replicaSetsInNamespace: readonly ReplicaSet[],
  podsInNamespace: readonly Pod[],
  nowMs: number,
): ReconcileResult {
  const plan = new RolloutPlan(d);
  const claim = claimObjects(d, d.spec.selector, replicaSetsInNamespace);
  for (const rs of [...claim.adopted, ...claim.released]) plan.update(rs);

  const podsByOwner = new Map<string, Pod[]>();
  for (const pod of podsInNamespace) {
    const uid = controllerOf(pod)?.uid;
    if (uid === undefined || pod.metadata.namespace !== d.metadata.namespace) continue;
    const list = podsByOwner.get(uid);
    if (list === undefined) podsByOwner.set(uid, [pod]);
    else list.push(pod);
  }
  const minReadySeconds = minReadySecondsOf(d);
  const states = claim.claimed.map((rs) => replicaSetState(rs, podsByOwner.get(rs.metadata.uid ?? '') ?? [], minReadySeconds, nowMs));
  const newState = findNewReplicaSet(d, states);
  const r: Rollout = {
    d,
    desired: desiredReplicasOf(d),
    plan,
    newState,
    oldStates: states.filter((s) => s !== newState).sort((a, b) => compareOldestFirst(a.rs, b.rs)),
    moved: false,
    collided: false,
    collisionCount: d.status?.collisionCount,
  };

  let requeueAfterMs: number | undefined;
  if (d.metadata.deletionTimestamp === undefined) {
    if (needsScaling(r)) scale(r);
    else if (d.spec.paused !== true) {
      startRevision(r);
      if (isRecreate(d)) stepRecreate(r, replicaSetsInNamespace);
      else stepRolling(r, replicaSetsInNamespace);
      if (r.collided) requeueAfterMs = 0; // try the next name at once
    }
    for (const rs of replicaSetsBeyondHistory(r.oldStates, revisionHistoryLimitOf(d))) {
      if (!plan.isUpdated(rs)) plan.delete(rs);
    }
  }

  const next = nextDeploymentStatus({
    deployment: d,
    newState: r.newState,
    oldStates: r.oldStates,
    nowMs,
    ...(r.created !== undefined ? { createdReplicaSet: r.created } : {}),
    rolloutMoved: r.moved,
    ...(r.collisionCount !== undefined ? { collisionCount: r.collisionCount } : {}),
  });
  requeueAfterMs = soonest(requeueAfterMs, next.deadlineInMs);
  for (const s of [...(r.newState !== undefined ? [r.newState] : []), ...r.oldStates]) {
    requeueAfterMs = soonest(requeueAfterMs, s.nextAvailableInMs);
  }

  const actions = plan.actions(deploymentWrite(d, r.newState, next.status));
  return { actions, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}

/** The write of `d` itself: an update when its revision annotation changes (status included), else a status update when that changes. */
function deploymentWrite(d: Deployment, newState: ReplicaSetState | undefined, status: Deployment['status']): ControllerAction | undefined {
  const revision = newState?.rs.metadata.annotations?.[REVISION_ANNOTATION];
  const annotations = d.metadata.annotations ?? {};
  if (revision !== undefined && annotations[REVISION_ANNOTATION] !== revision) {
    const metadata = { ...d.metadata, annotations: { ...annotations, [REVISION_ANNOTATION]: revision } };
    return { type: 'update', object: { ...d, metadata, ...(status !== undefined ? { status } : {}) } };
  }
  if (jsonEqual(d.status, status)) return undefined;
  return { type: 'updateStatus', object: { ...d, ...(status !== undefined ? { status } : {}) } };
}

/** Newest first: the new set, then old ones by revision descending. */
function newestFirst(r: Rollout): ReplicaSetState[] {
  return [...(r.newState !== undefined ? [r.newState] : []), ...[...r.oldStates].reverse()];
}

/**
 * A scaling to apply before any rollout step: an active set sized for other
 * desired replicas, or, paused with no set active, the newest set sized for
 * other replicas (a paused Deployment scaled up from 0).
 */
function needsScaling(r: Rollout): boolean {
  const ordered = newestFirst(r);
  if (isScalingEvent(r.desired, ordered)) return true;
  if (r.d.spec.paused !== true || ordered.some((s) => s.replicas > 0)) return false;
  const newest = ordered[0];
  const recorded = newest !== undefined ? recordedDesiredOf(newest.rs) : undefined;
  return recorded !== undefined && recorded !== r.desired;
}

function scale(r: Rollout): void {
  const ordered = newestFirst(r);
  const sizes = scaledSizes(r.desired, rolloutBudgetOf(r.d).maxSurge, ordered, r.newState !== undefined ? 0 : undefined);
  const resized = ordered.map((s, i) => {
    const size = sizes[i] ?? s.replicas;
    // Sets left at 0 keep their record: only sets with pods say what they were sized for.
    return size > 0 || s.replicas > 0 ? r.plan.resize(s, size, r.desired) : s;
  });
  if (r.newState !== undefined) r.newState = resized[0];
  r.oldStates = resized.slice(r.newState !== undefined ? 1 : 0).reverse();
}

/** The new set, if there is one, gets the next revision (a rollback reuses a set and renumbers it). */
function startRevision(r: Rollout): void {
  const maxOld = r.oldStates.reduce((max, s) => Math.max(max, revisionOf(s.rs)), 0);
  if (r.newState === undefined) return;
  const revision = revisionOf(r.newState.rs);
  const target = revision > maxOld ? revision : maxOld + 1;
  if (target !== revision) r.moved = true;
  r.newState = r.plan.retarget(r.newState, target, r.d.spec.minReadySeconds);
}

/** Creates the new set with `replicas`, unless its name is taken (then bumps collisionCount and creates nothing). */
function createNewReplicaSet(r: Rollout, replicas: number, all: readonly ReplicaSet[]): void {
  const hash = podTemplateHash(r.d.spec.template, r.collisionCount);
  const name = replicaSetNameFor(r.d, hash);
  if (all.some((rs) => rs.metadata.name === name)) {
    // Another set (another template, or not ours) has the name: the next collisionCount hashes to another.
    r.collisionCount = (r.collisionCount ?? 0) + 1;
    r.collided = true;
    r.plan.event('Warning', 'HashCollision', `Replica set name ${name} is taken; trying collision count ${r.collisionCount}`);
    return;
  }
  const revision = r.oldStates.reduce((max, s) => Math.max(max, revisionOf(s.rs)), 0) + 1;
  const rs = buildNewReplicaSet(r.d, hash, replicas, revision);
  r.plan.create(rs);
  r.created = name;
  r.moved = true;
  r.newState = { rs, replicas, active: 0, ready: 0, available: 0, running: 0 };
}

function stepRolling(r: Rollout, all: readonly ReplicaSet[]): void {
  const { maxSurge, maxUnavailable } = rolloutBudgetOf(r.d);
  if (r.newState === undefined) {
    createNewReplicaSet(r, newReplicaSetSize(r.desired, maxSurge, { replicas: 0, active: 0, available: 0 }, r.oldStates), all);
    if (r.newState === undefined) return;
  } else {
    const size = newReplicaSetSize(r.desired, maxSurge, r.newState, r.oldStates);
    if (size !== r.newState.replicas) {
      r.newState = r.plan.resize(r.newState, size, r.desired);
      r.moved = true;
      return; // one direction per round: the old sets shrink once the new pods are seen
    }
  }
  const newState = r.newState;
  const sizes = oldReplicaSetSizes(r.desired, maxUnavailable, newState, r.oldStates);
  r.oldStates = r.oldStates.map((s, i) => {
    const size = sizes[i] ?? s.replicas;
    if (size === s.replicas) return s;
    r.moved = true;
    return r.plan.resize(s, size, r.desired);
  });
}

function stepRecreate(r: Rollout, all: readonly ReplicaSet[]): void {
  let oldRunning = false;
  r.oldStates = r.oldStates.map((s) => {
    if (s.running > 0) oldRunning = true;
    if (s.replicas === 0) return s;
    r.moved = true;
    return r.plan.resize(s, 0, r.desired);
  });
  if (oldRunning) return; // not one new pod while an old one still runs
  if (r.newState === undefined) createNewReplicaSet(r, r.desired, all);
  else if (r.newState.replicas !== r.desired) {
    r.newState = r.plan.resize(r.newState, r.desired, r.desired);
    r.moved = true;
  }
}
