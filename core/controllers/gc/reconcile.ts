// The garbage collector's reconcile: delete objects whose owners are all gone.

import { isKind, isNamespaced } from '../../api/index.js';
import type { ApiObject, OwnerReference } from '../../api/index.js';
import { deleteOf } from '../actions.js';
import type { DeleteAction, ReconcileResult } from '../actions.js';

/**
 * The identity of a possible owner in the set `reconcileGarbage` takes:
 * kind, namespace (empty for cluster-scoped kinds) and uid.
 */
export function ownerKey(kind: string, namespace: string | undefined, uid: string): string {
  return `${kind}/${namespace ?? ''}/${uid}`;
}

/** The owner key of a stored object; undefined without a uid. */
export function ownerKeyOf(obj: ApiObject): string | undefined {
  const uid = obj.metadata.uid;
  if (uid === undefined) return undefined;
  return ownerKey(obj.kind, isNamespaced(obj.kind) ? obj.metadata.namespace : undefined, uid);
}

/**
 * The key a dependent's reference resolves to, or undefined when it cannot
 * resolve to anything: a namespaced owner is looked for in the dependent's
 * namespace only, and a cluster-scoped dependent cannot have one. Kinds
 * this model does not know are taken as namespaced.
 */
function referencedKey(dependent: ApiObject, ref: OwnerReference): string | undefined {
  const ownerNamespaced = isKind(ref.kind) ? isNamespaced(ref.kind) : true;
  if (!ownerNamespaced) return ownerKey(ref.kind, undefined, ref.uid);
  if (!isNamespaced(dependent.kind)) return undefined;
  return ownerKey(ref.kind, dependent.metadata.namespace, ref.uid);
}

/**
 * Background deletion: each object of `dependents` whose owner references
 * all point at owners not in `existingOwners` (keys from ownerKey /
 * ownerKeyOf) is deleted, at the version read (a dependent re-parented
 * meanwhile is judged again), pods with their own grace period. Objects
 * without owner references, and those already being deleted, are left
 * alone. Deleting an owner thus cascades one level per round: a
 * Deployment's ReplicaSets go, then their pods.
 */
export function reconcileGarbage(dependents: readonly ApiObject[], existingOwners: ReadonlySet<string>): ReconcileResult {
  const actions: DeleteAction[] = [];
  for (const obj of dependents) {
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0 || obj.metadata.deletionTimestamp !== undefined) continue;
    const anyOwnerLeft = refs.some((ref) => {
      const key = referencedKey(obj, ref);
      return key !== undefined && existingOwners.has(key);
    });
    if (!anyOwnerLeft) actions.push(deleteOf(obj, { atVersion: true }));
  }
  return { actions };
}
