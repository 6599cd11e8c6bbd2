// A Deployment's status: counts over its ReplicaSets' pods, and the
// Available and Progressing conditions.

import type { Deployment, DeploymentCondition, DeploymentStatus } from '../../api/index.js';
import { findCondition, setCondition } from '../conditions.js';
import { isoOf, msOf } from '../time.js';
import type { ReplicaSetState } from './replica-set-state.js';
import { desiredReplicasOf, progressDeadlineMsOf, rolloutBudgetOf } from './rollout-params.js';

/** Reasons of the Progressing condition. */
export const PROGRESSING_REASONS = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  deploymentPaused: 'DeploymentPaused',
  deploymentResumed: 'DeploymentResumed',
} as const;

export interface DeploymentStatusInput {
  readonly deployment: Deployment;
  /** The set of the current template, as planned by this reconcile; absent if there is none (yet). */
  readonly newState: ReplicaSetState | undefined;
  readonly oldStates: readonly ReplicaSetState[];
  readonly nowMs: number;
  /** The name of the new set this reconcile creates, if it does. */
  readonly createdReplicaSet?: string;
  /** This reconcile moved the rollout on: scaled the new set up, an old one down, or started a rollout to an existing set. */
  readonly rolloutMoved: boolean;
  readonly collisionCount?: number;
}

export interface NextDeploymentStatus {
  readonly status: DeploymentStatus;
  /** When the progress deadline falls due, in ms from now (a rollout still in progress). */
  readonly deadlineInMs?: number;
}

interface Counts {
  readonly replicas: number;
  readonly updatedReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
}

function countsOf(status: DeploymentStatus | undefined): Counts {
  return {
    replicas: status?.replicas ?? 0,
    updatedReplicas: status?.updatedReplicas ?? 0,
    readyReplicas: status?.readyReplicas ?? 0,
    availableReplicas: status?.availableReplicas ?? 0,
  };
}

/** Pods moved towards the goal since the last status: more updated, ready or available pods, or fewer old ones. */
function podsMoved(before: Counts, after: Counts): boolean {
  return (
    after.updatedReplicas > before.updatedReplicas ||
    after.replicas - after.updatedReplicas < before.replicas - before.updatedReplicas ||
    after.readyReplicas > before.readyReplicas ||
    after.availableReplicas > before.availableReplicas
  );
}

/** `next` with lastUpdateTime kept from `previous` when it says the same, else now. */
function stamped(previous: DeploymentCondition | undefined, next: DeploymentCondition, nowIso: string, refresh = false): DeploymentCondition {
  const same =
    previous !== undefined && previous.status === next.status && previous.reason === next.reason && previous.message === next.message;
  const lastUpdateTime = same && !refresh ? (previous.lastUpdateTime ?? nowIso) : nowIso;
  return { ...next, lastUpdateTime };
}

/**
 * The status after this reconcile. Counts are of pods as observed (active:
 * neither terminating nor finished); unavailableReplicas is the sets'
 * planned sizes minus the available pods. Conditions:
 *
 * - Available: True when available pods >= desired - maxUnavailable;
 * - Progressing, first rule that applies: paused (Unknown,
 *   DeploymentPaused); a new set created (NewReplicaSetCreated); just
 *   resumed (Unknown, DeploymentResumed); complete, every desired pod
 *   updated and available and no old pod left (NewReplicaSetAvailable);
 *   moved on since the last status (ReplicaSetUpdated, refreshing
 *   lastUpdateTime); no move for progressDeadlineSeconds since
 *   lastUpdateTime (False, ProgressDeadlineExceeded); else as it was.
 *
 * A condition's lastTransitionTime changes only with its status,
 * lastUpdateTime whenever it says something new.
 */
export function nextDeploymentStatus(input: DeploymentStatusInput): NextDeploymentStatus {
  const { deployment: d, newState, oldStates, nowMs } = input;
  const nowIso = isoOf(nowMs);
  const desired = desiredReplicasOf(d);
  const all = newState !== undefined ? [newState, ...oldStates] : oldStates;
  const counts: Counts = {
    replicas: all.reduce((n, s) => n + s.active, 0),
    updatedReplicas: newState?.active ?? 0,
    readyReplicas: all.reduce((n, s) => n + s.ready, 0),
    availableReplicas: all.reduce((n, s) => n + s.available, 0),
  };
  const plannedReplicas = all.reduce((n, s) => n + s.replicas, 0);
  const previous = d.status;

  let conditions = previous?.conditions;
  const { maxUnavailable } = rolloutBudgetOf(d);
  const previousAvailable = findCondition(conditions, 'Available');
  const available: DeploymentCondition =
    counts.availableReplicas >= desired - maxUnavailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  conditions = setCondition(conditions, stamped(previousAvailable, available, nowIso), nowIso);

  const rsName = newState?.rs.metadata.name ?? '';
  const complete =
    newState !== undefined &&
    counts.updatedReplicas === desired &&
    counts.replicas === desired &&
    counts.availableReplicas === desired;
  const before = findCondition(conditions, 'Progressing');
  const deadlineMs = progressDeadlineMsOf(d);
  const R = PROGRESSING_REASONS;
  let progressing: DeploymentCondition | undefined;
  let refresh = false;
  if (d.spec.paused === true) {
    if (before?.reason !== R.deploymentPaused) {
      progressing = { type: 'Progressing', status: 'Unknown', reason: R.deploymentPaused, message: 'Deployment is paused' };
    }
  } else if (input.createdReplicaSet !== undefined) {
    progressing = { type: 'Progressing', status: 'True', reason: R.newReplicaSetCreated, message: `Created new replica set "${input.createdReplicaSet}"` };
  } else if (before?.reason === R.deploymentPaused) {
    progressing = { type: 'Progressing', status: 'Unknown', reason: R.deploymentResumed, message: 'Deployment is resumed' };
  } else if (complete) {
    progressing = { type: 'Progressing', status: 'True', reason: R.newReplicaSetAvailable, message: `ReplicaSet "${rsName}" has successfully progressed.` };
  } else if (input.rolloutMoved || podsMoved(countsOf(previous), counts) || before === undefined) {
    progressing = { type: 'Progressing', status: 'True', reason: R.replicaSetUpdated, message: `ReplicaSet "${rsName}" is progressing.` };
    refresh = true;
  } else if (before.reason !== R.newReplicaSetAvailable && before.reason !== R.progressDeadlineExceeded) {
    const since = msOf(before.lastUpdateTime);
    if (since !== undefined && nowMs >= since + deadlineMs) {
      progressing = { type: 'Progressing', status: 'False', reason: R.progressDeadlineExceeded, message: `ReplicaSet "${rsName}" has timed out progressing.` };
    }
  }
  if (progressing !== undefined) conditions = setCondition(conditions, stamped(before, progressing, nowIso, refresh), nowIso);

  const after = findCondition(conditions, 'Progressing');
  let deadlineInMs: number | undefined;
  if (d.spec.paused !== true && !complete && after !== undefined && after.status !== 'False' && after.reason !== R.newReplicaSetAvailable) {
    const since = msOf(after.lastUpdateTime);
    if (since !== undefined) deadlineInMs = Math.max(0, since + deadlineMs - nowMs);
  }

  const generation = d.metadata.generation;
  const status: DeploymentStatus = {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    ...counts,
    unavailableReplicas: Math.max(0, plannedReplicas - counts.availableReplicas),
    conditions,
    ...(input.collisionCount !== undefined ? { collisionCount: input.collisionCount } : {}),
  };
  return { status, ...(deadlineInMs !== undefined ? { deadlineInMs } : {}) };
}
