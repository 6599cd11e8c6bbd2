// The writes one Deployment reconcile collects: at most one per ReplicaSet,
// whatever number of changes it makes to it.

import type { Deployment, ReplicaSet } from '../../api/index.js';
import { deleteOf, referenceTo } from '../actions.js';
import type { ControllerAction, DeleteAction, EventAction } from '../actions.js';
import { DESIRED_REPLICAS_ANNOTATION, REVISION_ANNOTATION } from './annotations.js';
import type { ReplicaSetState } from './replica-set-state.js';
import { withReplicaSet } from './replica-set-state.js';

export class RolloutPlan {
  private readonly created: ReplicaSet[] = [];
  /** uid -> the version to write; a Map keeps the order of first writes. */
  private readonly updated = new Map<string, ReplicaSet>();
  private readonly deleted: DeleteAction[] = [];
  private readonly events: EventAction[] = [];

  constructor(private readonly deployment: Deployment) {}

  create(rs: ReplicaSet): void {
    this.created.push(rs);
    this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name} from 0 to ${rs.spec.replicas ?? 1}`);
  }

  /** Write `rs` (a set read from the store, changed): replaces an earlier write of the same set. */
  update(rs: ReplicaSet): void {
    const uid = rs.metadata.uid;
    // Invariant: only stored sets (which have uids) are updated; new ones go through create().
    if (uid === undefined) throw new TypeError(`RolloutPlan.update: ReplicaSet ${rs.metadata.name} has no uid`);
    this.updated.set(uid, rs);
  }

  isUpdated(rs: ReplicaSet): boolean {
    return rs.metadata.uid !== undefined && this.updated.has(rs.metadata.uid);
  }

  /** Delete `rs` at the version read: a set scaled up again meanwhile (a rollback) is not deleted. */
  delete(rs: ReplicaSet): void {
    this.deleted.push(deleteOf(rs, { atVersion: true }));
  }

  event(eventType: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.push({ type: 'event', involved: referenceTo(this.deployment), eventType, reason, message });
  }

  /**
   * The state with its set resized to `replicas` and recording `desired`
   * as the Deployment replicas it is sized for; written (with an event)
   * only if that changes anything.
   */
  resize(state: ReplicaSetState, replicas: number, desired: number): ReplicaSetState {
    const rs = state.rs;
    const recorded = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    if (state.replicas === replicas && recorded === String(desired)) return state;
    const next: ReplicaSet = {
      ...rs,
      metadata: { ...rs.metadata, annotations: { ...(rs.metadata.annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: String(desired) } },
      spec: { ...rs.spec, replicas },
    };
    this.update(next);
    if (replicas !== state.replicas) {
      const direction = replicas > state.replicas ? 'up' : 'down';
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata.name} from ${state.replicas} to ${replicas}`);
    }
    return withReplicaSet(state, next);
  }

  /** The state with its set at `revision` (a rollout to it begins) and `minReadySeconds` as the Deployment's. */
  retarget(state: ReplicaSetState, revision: number, minReadySeconds: number | undefined): ReplicaSetState {
    const rs = state.rs;
    const sameRevision = rs.metadata.annotations?.[REVISION_ANNOTATION] === String(revision);
    if (sameRevision && (rs.spec.minReadySeconds ?? 0) === (minReadySeconds ?? 0)) return state;
    const { minReadySeconds: _old, ...spec } = rs.spec;
    const next: ReplicaSet = {
      ...rs,
      metadata: { ...rs.metadata, annotations: { ...(rs.metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(revision) } },
      spec: { ...spec, ...(minReadySeconds !== undefined ? { minReadySeconds } : {}) },
    };
    this.update(next);
    return withReplicaSet(state, next);
  }

  /** The actions: creates, then updates, then deletes, then `deploymentWrite` if any, then events. */
  actions(deploymentWrite: ControllerAction | undefined): ControllerAction[] {
    return [
      ...this.created.map((object): ControllerAction => ({ type: 'create', object })),
      ...[...this.updated.values()].map((object): ControllerAction => ({ type: 'update', object })),
      ...this.deleted,
      ...(deploymentWrite !== undefined ? [deploymentWrite] : []),
      ...this.events,
    ];
  }
}
