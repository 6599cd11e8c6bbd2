// Taints and tolerations: which taints a pod tolerates, and for how long a
// NoExecute taint lets it stay.

import type { Pod, Taint, Toleration } from '../../api/index.js';
import { msOf } from '../time.js';

/**
 * Whether `toleration` tolerates `taint`: the effect matches (an empty one
 * matches every effect), and the key matches with the value equal
 * (operator Equal, the default) or any value (Exists); an empty key with
 * Exists tolerates every taint.
 */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== taint.effect) return false;
  const operator = toleration.operator ?? 'Equal';
  if (toleration.key === undefined || toleration.key === '') return operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  return operator === 'Exists' || (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * How long (ms) `taint` lets the pod stay: `defaultMs` when no toleration
 * matches, forever (Infinity) when one matches without tolerationSeconds,
 * else the longest tolerationSeconds of those that match (negative ones
 * count as 0).
 */
export function toleratedForMs(tolerations: readonly Toleration[], taint: Taint, defaultMs: number): number {
  const matching = tolerations.filter((t) => tolerates(t, taint));
  if (matching.length === 0) return defaultMs;
  let longest = 0;
  for (const t of matching) {
    if (t.tolerationSeconds === undefined) return Number.POSITIVE_INFINITY;
    longest = Math.max(longest, t.tolerationSeconds * 1_000);
  }
  return longest;
}

export interface EvictionDue {
  /** When the pod is to go (ms since the epoch). */
  readonly atMs: number;
  /** The taint that sends it. */
  readonly taint: Taint;
  /** How long that taint lets it stay (ms): podEvictionTimeoutMs when not tolerated. */
  readonly toleratedForMs: number;
  readonly tolerated: boolean;
}

/**
 * When the NoExecute taints among `taints` evict `pod`: the earliest over
 * the taints of timeAdded (`addedFallbackMs` when absent) plus how long
 * each lets it stay. Undefined when none does (no NoExecute taint, or all
 * tolerated forever).
 */
export function evictionDue(pod: Pod, taints: readonly Taint[], defaultMs: number, addedFallbackMs: number): EvictionDue | undefined {
  const tolerations = pod.spec.tolerations ?? [];
  let due: EvictionDue | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const stayMs = toleratedForMs(tolerations, taint, defaultMs);
    if (stayMs === Number.POSITIVE_INFINITY) continue;
    const atMs = (msOf(taint.timeAdded) ?? addedFallbackMs) + stayMs;
    if (due === undefined || atMs < due.atMs) {
      due = { atMs, taint, toleratedForMs: stayMs, tolerated: tolerations.some((t) => tolerates(t, taint)) };
    }
  }
  return due;
}
