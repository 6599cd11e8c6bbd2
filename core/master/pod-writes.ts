import { keyOf, type ApiObject, type Pod, type PodCondition } from '../api/index.js';
import type { Compare, TxnCommand, TxnOp } from '../store/index.js';
import { encodeObject } from './registry.js';

/** The pod's grace period when a deletion names none: the spec's, else 30 s (as Kubernetes). */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

/** The pod bound to `nodeName`, with PodScheduled True. */
export function boundPod(old: Pod, nodeName: string, nowIso: string): Pod {
  const scheduled: PodCondition = { type: 'PodScheduled', status: 'True', lastTransitionTime: nowIso };
  const conditions = [...(old.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), scheduled];
  return {
    ...old,
    metadata: { ...old.metadata },
    spec: { ...old.spec, nodeName },
    status: { ...old.status, phase: old.status?.phase ?? 'Pending', conditions },
  };
}

/**
 * What deleting `obj` with `gracePeriodSeconds` (absent: the pod's own)
 * writes instead of removing it: a pod that runs on a node and has not
 * finished becomes terminating (deletionTimestamp = now + grace), so its
 * agent can stop it gracefully and then remove it. Null: remove at once
 * (not a pod, not on a node, finished, or a grace of 0). A pod already
 * terminating stays as it is (`unchanged`).
 */
export function gracefulDeletion(obj: ApiObject, gracePeriodSeconds: number | undefined, nowMs: number): { type: 'terminate'; pod: Pod } | { type: 'unchanged'; pod: Pod } | null {
  if (obj.kind !== 'Pod' || gracePeriodSeconds === 0) return null;
  const phase = obj.status?.phase;
  if (obj.spec.nodeName === undefined || phase === 'Succeeded' || phase === 'Failed') return null;
  if (obj.metadata.deletionTimestamp !== undefined) return { type: 'unchanged', pod: obj };
  const grace = gracePeriodSeconds ?? obj.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  return {
    type: 'terminate',
    pod: { ...obj, metadata: { ...obj.metadata, deletionTimestamp: new Date(nowMs + grace * 1_000).toISOString(), deletionGracePeriodSeconds: grace } },
  };
}

/**
 * Many updates in one transaction (one log entry): every object must still
 * be at its expected revision, or none is written; the failure branch reads
 * them all, so the caller can tell which moved.
 */
export function updateManyTxn(updates: readonly { readonly object: ApiObject; readonly expectedRevision: number }[]): TxnCommand {
  const compare: Compare[] = [];
  const success: TxnOp[] = [];
  const failure: TxnOp[] = [];
  for (const { object, expectedRevision } of updates) {
    const key = keyOf(object);
    compare.push({ key, target: 'modRevision', op: '=', value: expectedRevision });
    success.push({ type: 'put', key, value: encodeObject(object) });
    failure.push({ type: 'range', key });
  }
  return { type: 'txn', compare, success, failure };
}
