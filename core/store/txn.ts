import { compareBytes } from './bytes.js';
import type { Compare, CompareOp } from './commands.js';
import type { KeyValue } from './types.js';

/**
 * Whether a transaction's compare holds against the key's current version
 * (undefined when the key does not exist). A missing key has modRevision,
 * createRevision and version 0, and fails every compare of its value, as in
 * etcd: "value != x" on a missing key is false, not true.
 */
export function compareHolds(c: Compare, kv: KeyValue | undefined): boolean {
  if (c.target === 'value') {
    return kv !== undefined && holds(compareBytes(kv.value, c.value), c.op);
  }
  const actual = kv === undefined ? 0 : kv[c.target];
  return holds(actual < c.value ? -1 : actual > c.value ? 1 : 0, c.op);
}

/** Whether `order` (actual relative to expected) satisfies `op`. */
function holds(order: -1 | 0 | 1, op: CompareOp): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
  }
}
