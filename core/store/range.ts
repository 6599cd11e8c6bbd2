import { EMPTY_BYTES } from './bytes.js';
import type { MvccIndex } from './mvcc-index.js';
import type { KeySelector, KeyValue, RangeOptions } from './types.js';

/**
 * Ranges over the index: one key or a prefix, after an optional `startAfter`
 * key, at most `limit` keys, with the count of all keys in the range.
 *
 * One key is a lookup: O(1) now, O(log h) at a past revision (h versions).
 * For a prefix at the current revision the walk covers only live keys:
 * O(log n + k) for k keys returned, and the count is two rank lookups
 * (O(log n + n/B), B the key set's chunk size), so a prefix never scans the
 * keyspace. At a past revision every key with history under the prefix is
 * looked up as of then, to count them: O(m log h) for those m keys.
 */

export interface RangeOutcome {
  readonly kvs: KeyValue[];
  readonly count: number;
  readonly more: boolean;
}

type Bound = (key: string) => boolean;

/**
 * The keys before a prefix range (a monotone bound), and the test for a key
 * in it. Keys with a prefix are contiguous in the order, and every key at or
 * after the prefix that lacks it sorts after all that have it.
 */
function bounds(prefix: string, startAfter: string | undefined): { isBefore: Bound; inRange: Bound } {
  return {
    isBefore: startAfter === undefined ? (k) => k < prefix : (k) => k < prefix || k <= startAfter,
    inRange: (k) => k.startsWith(prefix),
  };
}

function keyOnly(kv: KeyValue): KeyValue {
  return kv.value.length === 0 ? kv : { ...kv, value: EMPTY_BYTES };
}

/** One key: a direct lookup, no walk. */
function single(kv: KeyValue | undefined, opts: Omit<RangeOptions, 'revision'>): RangeOutcome {
  const found = kv !== undefined && (opts.startAfter === undefined || opts.startAfter < kv.key);
  if (!found || opts.countOnly === true) return { kvs: [], count: found ? 1 : 0, more: false };
  return { kvs: [opts.keysOnly === true ? keyOnly(kv) : kv], count: 1, more: false };
}

/** The range as the store holds it now. */
export function rangeCurrent(index: MvccIndex, sel: KeySelector, opts: Omit<RangeOptions, 'revision'>): RangeOutcome {
  if (sel.key !== undefined) return single(index.head(sel.key), opts);
  const { isBefore, inRange } = bounds(sel.prefix, opts.startAfter);
  // Keys before or in the range form a prefix of the order too.
  const count = index.rankLive((k) => isBefore(k) || inRange(k)) - index.rankLive(isBefore);
  const kvs: KeyValue[] = [];
  if (opts.countOnly !== true && count > 0) {
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
    const keysOnly = opts.keysOnly === true;
    index.scanLive(isBefore, (kv) => {
      if (kvs.length >= limit || !inRange(kv.key)) return false;
      kvs.push(keysOnly ? keyOnly(kv) : kv);
      return true;
    });
  }
  return { kvs, count, more: opts.countOnly !== true && count > kvs.length };
}

/** The range as of a past `revision` (not compacted, not ahead of the store). */
export function rangeAt(index: MvccIndex, sel: KeySelector, opts: Omit<RangeOptions, 'revision'>, revision: number): RangeOutcome {
  if (sel.key !== undefined) return single(index.at(sel.key, revision), opts);
  const { isBefore, inRange } = bounds(sel.prefix, opts.startAfter);
  const limit = opts.countOnly === true ? 0 : opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
  const keysOnly = opts.keysOnly === true;
  const kvs: KeyValue[] = [];
  let count = 0;
  index.scanIndexed(isBefore, (key, history) => {
    if (!inRange(key)) return false;
    const kv = history.at(revision);
    if (kv !== undefined) {
      count++;
      if (kvs.length < limit) kvs.push(keysOnly ? keyOnly(kv) : kv);
    }
    return true;
  });
  return { kvs, count, more: opts.countOnly !== true && count > kvs.length };
}
