// Conditions of an object's status: find one, set one.

import type { Condition } from '../api/index.js';

/** The condition of `type`, if present. */
export function findCondition<C extends Condition<string>>(conditions: readonly C[] | undefined, type: C['type']): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * `conditions` with `next` in place of the condition of its type (appended
 * when there is none). `lastTransitionTime` is kept when the status does
 * not change, and becomes `nowIso` when it does: it marks the last change
 * of status, not the last write. Other fields are taken from `next` as they
 * are. Returns a new array; the input is not modified.
 */
export function setCondition<C extends Condition<string>>(conditions: readonly C[] | undefined, next: C, nowIso: string): C[] {
  const list = conditions ?? [];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  const lastTransitionTime =
    previous !== undefined && previous.status === next.status ? (previous.lastTransitionTime ?? nowIso) : nowIso;
  const merged: C = { ...next, lastTransitionTime };
  if (index < 0) return [...list, merged];
  return list.map((c, i) => (i === index ? merged : c));
}

/** `conditions` without the condition of `type`. */
export function removeCondition<C extends Condition<string>>(conditions: readonly C[] | undefined, type: C['type']): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
