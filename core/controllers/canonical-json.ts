// One JSON text per JSON value, whatever the order of its keys: for hashing
// templates and comparing statuses.

/**
 * `value` as JSON with the keys of every object sorted and undefined
 * members left out (as JSON.stringify leaves them out), so equal data gives
 * equal text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${members.join(',')}}`;
}

/** Whether two JSON values are the same data (object keys in any order; an undefined member is a missing one). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
