import { invariant } from './errors.js';

/**
 * A sorted set of string keys (JavaScript string order) kept as a list of
 * sorted chunks: a sorted array with binary search, cut into pieces so that an
 * insert or delete moves at most one chunk's elements instead of the whole
 * keyspace's.
 *
 * Costs, n keys, chunks of at most CHUNK_MAX (B) keys:
 *   has / add / delete   O(log n + B)   (binary search over chunks, then in one; splice in one)
 *   scan from a bound    O(log n + k)   for k keys visited
 *   rank of a bound      O(log n + n/B) (sums the sizes of the chunks before it)
 *
 * Invariants: every chunk is non-empty and sorted; the last key of chunk i
 * sorts before the first key of chunk i + 1.
 *
 * Bounds are monotone predicates: `isBefore(k)` holds for every key up to
 * some point in the order and for none after it (e.g. `k => k < prefix`).
 */
export class SortedKeySet {
  /** Chunks are split above this many keys. */
  static readonly CHUNK_MAX = 512;
  /** A chunk smaller than this after a delete is merged into a neighbour if their sum fits MERGE_MAX. */
  private static readonly MERGE_BELOW = 64;
  private static readonly MERGE_MAX = 256;

  private chunks: string[][] = [];
  private count = 0;

  /** A set of keys already strictly ascending (e.g. from a snapshot). Throws otherwise. */
  static fromSorted(keys: readonly string[]): SortedKeySet {
    const set = new SortedKeySet();
    for (let i = 1; i < keys.length; i++) invariant(keys[i - 1]! < keys[i]!, 'fromSorted: keys are not strictly ascending');
    const half = SortedKeySet.CHUNK_MAX / 2;
    for (let i = 0; i < keys.length; i += half) set.chunks.push(keys.slice(i, i + half));
    set.count = keys.length;
    return set;
  }

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    return chunk !== undefined && chunk[lowerBound(chunk, key)] === key;
  }

  /** Adds `key`; false if it was there. */
  add(key: string): boolean {
    const chunks = this.chunks;
    if (chunks.length === 0) {
      chunks.push([key]);
      this.count = 1;
      return true;
    }
    // The first chunk whose last key >= key; past the end, the last chunk takes it.
    const c = Math.min(this.chunkFor(key), chunks.length - 1);
    const chunk = chunks[c]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return false;
    chunk.splice(i, 0, key);
    this.count++;
    if (chunk.length > SortedKeySet.CHUNK_MAX) chunks.splice(c + 1, 0, chunk.splice(chunk.length >> 1));
    return true;
  }

  /** Removes `key`; false if it was not there. */
  delete(key: string): boolean {
    const chunks = this.chunks;
    const c = this.chunkFor(key);
    const chunk = chunks[c];
    if (chunk === undefined) return false;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) chunks.splice(c, 1);
    else if (chunk.length < SortedKeySet.MERGE_BELOW) this.mergeSmall(c);
    return true;
  }

  /** How many keys satisfy `isBefore` (a monotone bound). */
  rank(isBefore: (key: string) => boolean): number {
    const chunks = this.chunks;
    const c = firstChunkNotBefore(chunks, isBefore);
    let n = 0;
    for (let j = 0; j < c; j++) n += chunks[j]!.length;
    const chunk = chunks[c];
    return chunk === undefined ? n : n + firstNotBefore(chunk, isBefore);
  }

  /**
   * Visits keys in order, from the first that does not satisfy `isBefore`,
   * while `visit` returns true. The set must not change during a scan.
   */
  scan(isBefore: (key: string) => boolean, visit: (key: string) => boolean): void {
    const chunks = this.chunks;
    let c = firstChunkNotBefore(chunks, isBefore);
    if (c >= chunks.length) return;
    let i = firstNotBefore(chunks[c]!, isBefore);
    for (; c < chunks.length; c++, i = 0) {
      const chunk = chunks[c]!;
      for (; i < chunk.length; i++) if (!visit(chunk[i]!)) return;
    }
  }

  /** Every key, in order. */
  keys(): string[] {
    return this.chunks.flat();
  }

  /** The chunk that would hold `key`: the first whose last key >= key (chunks.length if none). */
  private chunkFor(key: string): number {
    return firstChunkNotBefore(this.chunks, (k) => k < key);
  }

  private mergeSmall(c: number): void {
    const chunks = this.chunks;
    const chunk = chunks[c]!;
    const next = chunks[c + 1];
    const prev = chunks[c - 1];
    if (next !== undefined && chunk.length + next.length <= SortedKeySet.MERGE_MAX) {
      chunks[c] = chunk.concat(next);
      chunks.splice(c + 1, 1);
    } else if (prev !== undefined && prev.length + chunk.length <= SortedKeySet.MERGE_MAX) {
      chunks[c - 1] = prev.concat(chunk);
      chunks.splice(c, 1);
    }
  }
}

/** The first chunk whose last key does not satisfy `isBefore`. */
function firstChunkNotBefore(chunks: readonly (readonly string[])[], isBefore: (key: string) => boolean): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid]!;
    if (isBefore(chunk[chunk.length - 1]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose key does not satisfy `isBefore`. */
function firstNotBefore(keys: readonly string[], isBefore: (key: string) => boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBefore(keys[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose key >= `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
