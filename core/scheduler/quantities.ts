// Quantity parsing with a memo. Parsing `100m` or `128Mi` exactly costs
// microseconds (bigint arithmetic), and a scheduling cycle must take tens of
// microseconds, while a cluster's pods use a handful of distinct quantities.

import { cpuMillisOf, memoryBytesOf, countOf } from '../api/index.js';
import type { Quantity } from '../api/index.js';

/** Distinct quantities remembered per kind; the memo starts over when full, so odd inputs cannot grow it without bound. */
const MEMO_ENTRIES_MAX = 4096;

function memoized(parse: (q: Quantity) => number): (q: Quantity) => number {
  const memo = new Map<Quantity, number>();
  return (q) => {
    const hit = memo.get(q);
    if (hit !== undefined) return hit;
    const value = parse(q);
    if (memo.size >= MEMO_ENTRIES_MAX) memo.clear();
    memo.set(q, value);
    return value;
  };
}

/** Millicores of a validated CPU quantity. */
export const cpuMillis = memoized(cpuMillisOf);
/** Bytes of a validated memory quantity. */
export const memoryBytes = memoized(memoryBytesOf);
/** A validated count (pods). */
export const count = memoized(countOf);
