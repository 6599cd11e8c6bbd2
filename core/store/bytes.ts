/** Byte-string helpers: values are compared as unsigned bytes, as etcd does. */

/** An empty value, shared (a zero-length array cannot be changed). */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** -1, 0 or 1 as `a` sorts before, with or after `b`, byte by byte, a prefix first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * A plain Uint8Array the store owns: a copy, so that neither a caller nor the
 * buffer a value was decoded from (msgpackr hands back Buffer views into the
 * entry) can change a stored value later.
 */
export function ownedBytes(v: Uint8Array): Uint8Array {
  return v.length === 0 ? EMPTY_BYTES : new Uint8Array(v);
}
