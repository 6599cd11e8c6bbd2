// Owner references: which controller manages an object, and the reference a
// controller puts on what it creates or adopts.

import type { ApiObject, ObjectMeta, OwnerReference } from '../api/index.js';

/** Anything with metadata: every ApiObject, and objects under construction. */
export interface HasMetadata {
  readonly metadata: ObjectMeta;
}

/** The reference marked `controller: true`, if any (at most one is valid). */
export function controllerOf(obj: HasMetadata): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** True if any owner reference of `obj` points at `owner` (by uid). */
export function isOwnedBy(obj: HasMetadata, owner: HasMetadata): boolean {
  const uid = owner.metadata.uid;
  return uid !== undefined && (obj.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);
}

/** True if `owner` is the controller of `obj` (by uid). */
export function isControlledBy(obj: HasMetadata, owner: HasMetadata): boolean {
  const uid = owner.metadata.uid;
  return uid !== undefined && controllerOf(obj)?.uid === uid;
}

/**
 * The controller reference to `owner`, as its controller puts on what it
 * creates or adopts: the garbage collector deletes the dependent once the
 * owner is gone. The owner must be a stored object (it has a uid); one
 * without is a bug and throws.
 */
export function controllerRefTo(owner: ApiObject): OwnerReference {
  const uid = owner.metadata.uid;
  // Invariant: controllers only act for stored objects, and the server gives every stored object a uid.
  if (uid === undefined) throw new TypeError(`controllerRefTo: ${owner.kind} ${owner.metadata.name} has no uid`);
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid, controller: true, blockOwnerDeletion: true };
}

/** `obj` with `owner` as its controller, other owner references kept. */
export function withControllerRef<T extends ApiObject>(obj: T, owner: ApiObject): T {
  const others = (obj.metadata.ownerReferences ?? []).filter((ref) => ref.controller !== true);
  return { ...obj, metadata: { ...obj.metadata, ownerReferences: [...others, controllerRefTo(owner)] } };
}

/** `obj` with every reference to `owner` removed (released); `ownerReferences` omitted when none remain. */
export function withoutOwner<T extends ApiObject>(obj: T, owner: HasMetadata): T {
  const uid = owner.metadata.uid;
  const { ownerReferences, ...meta } = obj.metadata;
  const rest = (ownerReferences ?? []).filter((ref) => ref.uid !== uid);
  return { ...obj, metadata: { ...meta, ...(rest.length > 0 ? { ownerReferences: rest } : {}) } };
}
