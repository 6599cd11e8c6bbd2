// What a controller's reconcile asks its driver to do. Reconciles are pure:
// they read what they are given and return these as data; the driver (an
// actor watching the store) performs them through the API, in order.

import type { ApiObject, EventType, Kind, ObjectReference } from '../api/index.js';

/**
 * One write a controller wants. Every reconcile emits at most one write
 * (`update` or `updateStatus`) per object, so the writes of one reconcile
 * never conflict with each other.
 */
export type ControllerAction =
  /** Create a new object (a pod from a template, a ReplicaSet for a new template). */
  | { readonly type: 'create'; readonly object: ApiObject }
  /**
   * Replace an object, spec and status: `object` is the whole object, with
   * `metadata.resourceVersion` of the version read, so a concurrent writer
   * makes it a conflict (reconcile again from a fresh read).
   */
  | { readonly type: 'update'; readonly object: ApiObject }
  /**
   * Replace the status only (the status subresource). The driver may retry
   * a conflict by applying `object.status` to the object read again: a
   * status is a fresh observation, not a change based on the old one.
   */
  | { readonly type: 'updateStatus'; readonly object: ApiObject }
  /**
   * Delete an object. `uid` (and `resourceVersion` when set) are
   * preconditions: the object must still be the one, at the version, that
   * was read. `gracePeriodSeconds`: pods only; absent, the pod's own
   * terminationGracePeriodSeconds; 0 removes it at once (force).
   */
  | {
      readonly type: 'delete';
      readonly kind: Kind;
      readonly namespace?: string;
      readonly name: string;
      readonly uid?: string;
      readonly resourceVersion?: string;
      readonly gracePeriodSeconds?: number;
    }
  /** Record an Event about `involved` (the driver creates the Event object in its namespace, `default` for cluster-scoped ones). */
  | {
      readonly type: 'event';
      readonly involved: ObjectReference;
      readonly eventType: EventType;
      /** CamelCase, for machines: ScalingReplicaSet, TaintManagerEviction. */
      readonly reason: string;
      /** A sentence, for people. */
      readonly message: string;
    };

export type DeleteAction = Extract<ControllerAction, { type: 'delete' }>;
export type EventAction = Extract<ControllerAction, { type: 'event' }>;

/** What a reconcile returns: the actions, in the order to perform them, and when to look again. */
export interface ReconcileResult {
  readonly actions: readonly ControllerAction[];
  /**
   * Reconcile again after this many milliseconds even if nothing is
   * observed to change: a pod becomes available once minReadySeconds pass,
   * a progress deadline or an eviction timeout falls due. Absent: only when
   * something changes. 0: at once (work was left for the next round).
   */
  readonly requeueAfterMs?: number;
}

/** A reference to `obj` for events and owner bookkeeping. */
export function referenceTo(obj: ApiObject): ObjectReference {
  const { namespace, name, uid } = obj.metadata;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    ...(namespace !== undefined ? { namespace } : {}),
    name,
    ...(uid !== undefined ? { uid } : {}),
  };
}

/**
 * Deletes `obj` as read: by uid, so an object recreated under the same name
 * is not deleted by mistake, and at `resourceVersion` when asked (the
 * object must not have changed since it was judged deletable).
 */
export function deleteOf(
  obj: ApiObject,
  opts: { readonly atVersion?: boolean; readonly gracePeriodSeconds?: number } = {},
): DeleteAction {
  const { namespace, name, uid, resourceVersion } = obj.metadata;
  return {
    type: 'delete',
    kind: obj.kind,
    ...(namespace !== undefined ? { namespace } : {}),
    name,
    ...(uid !== undefined ? { uid } : {}),
    ...(opts.atVersion === true && resourceVersion !== undefined ? { resourceVersion } : {}),
    ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
  };
}
