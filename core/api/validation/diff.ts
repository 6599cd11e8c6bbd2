// Where two JSON values differ, as field paths.

import { formatPath } from './issues.js';

/**
 * The paths at which `a` and `b` differ, at most `limit` of them, depth first.
 * Arrays of different lengths differ at the array itself.
 */
export function diffPaths(a: unknown, b: unknown, limit = 20, path: (string | number)[] = []): string[] {
  const out: string[] = [];
  walk(a, b, path, out, limit);
  return out;
}

function walk(a: unknown, b: unknown, path: (string | number)[], out: string[], limit: number): void {
  if (out.length >= limit || Object.is(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) walk(a[i], b[i], [...path, i], out, limit);
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) walk(a[key], b[key], [...path, key], out, limit);
    return;
  }
  out.push(formatPath(path));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `b` is an array of a's length whose elements are `equal` to a's, pairwise. */
function arraysEqual(a: readonly unknown[], b: unknown, equal: (x: unknown, y: unknown) => boolean): boolean {
  if (!Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
  return true;
}

/**
 * Whether two JSON values are equal (objects by their keys, in any order):
 * exactly when diffPaths finds no difference. Allocation-free: every update
 * compares specs, so this runs per write.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return arraysEqual(a, b, deepEqual);
  if (!isPlainObject(a) || !isPlainObject(b) || Array.isArray(b)) return false;
  // As diffPaths: a key set to undefined is the same as a missing one.
  for (const key in a) if (Object.hasOwn(a, key) && !deepEqual(a[key], b[key])) return false;
  for (const key in b) if (Object.hasOwn(b, key) && b[key] !== undefined && !Object.hasOwn(a, key)) return false;
  return true;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Whether two values are the same JSON data, strictly: plain objects with
 * the same own keys (one set to undefined is not a missing one), arrays of
 * the same length, equal primitives; any other object (a Date, a Map, bytes)
 * only if it is the very same. For trusting a field as already validated:
 * deepEqual's looser sense would let through what the schema refuses.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return arraysEqual(a, b, sameJson);
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    if (!Object.hasOwn(b, key) || !sameJson(a[key], b[key])) return false;
    count++;
  }
  for (const key in b) if (Object.hasOwn(b, key)) count--;
  return count === 0;
}
