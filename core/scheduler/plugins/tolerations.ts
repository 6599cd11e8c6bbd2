// Does a toleration let a pod past a taint?

import type { Taint, Toleration } from '../../api/index.js';

/**
 * A toleration matches a taint when its effect is empty or the taint's, and
 * either its operator is Exists (an empty key with Exists matches every key)
 * or it is Equal (the default) with the taint's key and value.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== taint.effect) return false;
  const key = toleration.key ?? '';
  if (toleration.operator === 'Exists') return key === '' || key === taint.key;
  return key !== '' && key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/** The first taint none of the tolerations match, or undefined if they cover all. */
export function firstUntoleratedTaint(tolerations: readonly Toleration[], taints: readonly Taint[]): Taint | undefined {
  for (const taint of taints) {
    if (!tolerations.some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}

/** `key=value:Effect`, as kubectl prints taints. */
export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value !== undefined && taint.value !== '' ? `=${taint.value}` : ''}:${taint.effect}`;
}
