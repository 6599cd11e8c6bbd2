// Which objects a controller manages: those it controls that its selector
// still matches, plus orphans that match (adopted). Those it controls that
// no longer match are released, so another controller may adopt them.

import { matches } from '../api/index.js';
import type { ApiObject, LabelSelector } from '../api/index.js';
import { controllerOf, withControllerRef, withoutOwner } from './owner-refs.js';

export interface ClaimResult<T extends ApiObject> {
  /** What the owner manages from now on, adopted ones with their new controller reference. */
  readonly claimed: readonly T[];
  /** Orphans to adopt: each with the owner's controller reference added, at the version read. */
  readonly adopted: readonly T[];
  /** Dependents to release: each without its references to the owner, at the version read. */
  readonly released: readonly T[];
}

function beingDeleted(obj: ApiObject): boolean {
  return obj.metadata.deletionTimestamp !== undefined;
}

/**
 * Sorts `candidates` (objects of the owner's namespace; others are ignored)
 * into what `owner` claims, adopts and releases by `selector`, which is
 * matched against each candidate's labels. Objects being deleted are neither
 * adopted nor released, and an owner being deleted adopts nothing: adopting
 * into a dying owner would only hand the object to the garbage collector.
 */
export function claimObjects<T extends ApiObject>(owner: ApiObject, selector: LabelSelector, candidates: readonly T[]): ClaimResult<T> {
  const claimed: T[] = [];
  const adopted: T[] = [];
  const released: T[] = [];
  const ownerUid = owner.metadata.uid;
  for (const obj of candidates) {
    if (obj.metadata.namespace !== owner.metadata.namespace) continue;
    const ref = controllerOf(obj);
    const selected = matches(selector, obj.metadata.labels);
    if (ref !== undefined) {
      if (ref.uid !== ownerUid) continue;
      if (selected) claimed.push(obj);
      else if (!beingDeleted(obj)) released.push(withoutOwner(obj, owner));
      continue;
    }
    if (selected && !beingDeleted(obj) && !beingDeleted(owner)) {
      const adoptedObj = withControllerRef(obj, owner);
      adopted.push(adoptedObj);
      claimed.push(adoptedObj);
    }
  }
  return { claimed, adopted, released };
}
