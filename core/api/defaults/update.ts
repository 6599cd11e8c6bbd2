// Defaults on update: what the server owns is carried over from the stored
// object, and the generation moves when the desired state does.

import type { ApiObject } from '../kinds.js';
import { deepEqual } from '../validation/diff.js';
import { defaultContent } from './spec.js';

/** The desired state of an object: its spec, or for kinds without one everything but metadata and status. */
function desiredState(obj: ApiObject): unknown {
  if ('spec' in obj) return obj.spec;
  const { metadata: _metadata, ...rest } = obj;
  return rest;
}

/**
 * Returns a copy of `next` ready to replace `old`:
 * - namespace, uid, creationTimestamp and deletionTimestamp are the stored ones when
 *   `next` leaves them out (a manifest applied again has none); a different
 *   value stays, for validateUpdate to refuse;
 * - generation is old + 1 if the desired state (spec) changed, else old;
 * - the kind's content defaults apply, as on create.
 * metadata.resourceVersion is left as sent: the store compares it.
 */
export function prepareForUpdate<T extends ApiObject>(old: ApiObject, next: T): T {
  return prepareOwnedForUpdate(old, structuredClone(next), false);
}

/**
 * prepareForUpdate on an object the caller owns (it is changed in place and
 * returned): admission's own copy, fresh from validation. `specUnchanged`
 * says the caller found next's spec equal to the stored one, which was
 * defaulted when stored: then neither the defaults nor the generation
 * compare need to look at it again.
 */
export function prepareOwnedForUpdate<T extends ApiObject>(old: ApiObject, out: T, specUnchanged: boolean): T {
  const meta = out.metadata;
  if (meta.namespace === undefined && old.metadata.namespace !== undefined) meta.namespace = old.metadata.namespace;
  if (meta.uid === undefined && old.metadata.uid !== undefined) meta.uid = old.metadata.uid;
  if (meta.creationTimestamp === undefined && old.metadata.creationTimestamp !== undefined) {
    meta.creationTimestamp = old.metadata.creationTimestamp;
  }
  if (meta.deletionTimestamp === undefined && old.metadata.deletionTimestamp !== undefined) {
    meta.deletionTimestamp = old.metadata.deletionTimestamp;
  }
  if (meta.deletionGracePeriodSeconds === undefined && old.metadata.deletionGracePeriodSeconds !== undefined) {
    meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  }
  const oldGeneration = old.metadata.generation ?? 1;
  if (specUnchanged) {
    meta.generation = oldGeneration;
    return out;
  }
  defaultContent(out);
  meta.generation = deepEqual(desiredState(old), desiredState(out)) ? oldGeneration : oldGeneration + 1;
  return out;
}
