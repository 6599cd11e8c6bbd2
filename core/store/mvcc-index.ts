import { invariant } from './errors.js';
import { KeyHistory } from './key-history.js';
import { SortedKeySet } from './sorted-key-set.js';
import type { KeyValue } from './types.js';

/**
 * Every key's version history, with two sorted key sets for ranges:
 * `live` (keys alive now: ranges at the current revision walk only these,
 * and count with two rank lookups) and `indexed` (keys with any history
 * kept: ranges at a past revision walk these and look each up as of then).
 *
 * Costs, n keys, h versions of a key, B the key set's chunk size:
 *   head(key)            O(1)             at(key, rev)   O(log h)
 *   put / delete         O(1) amortized, + O(log n + B) when a key appears or goes
 *   compact              O(c) for the c keys with more than one version or a tombstone
 *
 * Invariants: a key is in `histories` iff it is in `indexed`; it is in `live`
 * iff its head is a version (not a tombstone); it is in `compactable` iff
 * its history could lose an entry to a compaction.
 */
export class MvccIndex {
  private readonly histories = new Map<string, KeyHistory>();
  private live: SortedKeySet;
  private indexed: SortedKeySet;
  private readonly compactable = new Set<string>();
  private versionCount = 0;

  constructor() {
    this.live = new SortedKeySet();
    this.indexed = new SortedKeySet();
  }

  /** An index holding one live version per key (a snapshot's base); `kvs` strictly ascending by key. */
  static fromVersions(kvs: readonly KeyValue[]): MvccIndex {
    const index = new MvccIndex();
    const keys = kvs.map((kv) => kv.key);
    index.live = SortedKeySet.fromSorted(keys);
    index.indexed = SortedKeySet.fromSorted(keys);
    for (const kv of kvs) {
      const h = new KeyHistory();
      h.record(kv.modRevision, kv);
      index.histories.set(kv.key, h);
    }
    index.versionCount = kvs.length;
    return index;
  }

  /** The key now, or undefined if it does not exist. */
  head(key: string): KeyValue | undefined {
    return this.histories.get(key)?.head();
  }

  /** The key as of `revision` (which must not be compacted). */
  at(key: string, revision: number): KeyValue | undefined {
    return this.histories.get(key)?.at(revision);
  }

  /** Writes `value` at `key` as of `revision` (>= every revision written so far). */
  put(key: string, value: Uint8Array, revision: number): { kv: KeyValue; prev: KeyValue | undefined } {
    let h = this.histories.get(key);
    if (h === undefined) {
      h = new KeyHistory();
      this.histories.set(key, h);
      this.indexed.add(key);
    }
    const prev = h.head();
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev === undefined ? revision : prev.createRevision,
      modRevision: revision,
      version: prev === undefined ? 1 : prev.version + 1,
    };
    this.record(key, h, revision, kv);
    if (prev === undefined) this.live.add(key);
    return { kv, prev };
  }

  /** Deletes `key` as of `revision`; returns the version removed, or undefined if there was none. */
  delete(key: string, revision: number): KeyValue | undefined {
    const h = this.histories.get(key);
    const prev = h?.head();
    if (h === undefined || prev === undefined) return undefined;
    this.record(key, h, revision, undefined);
    this.live.delete(key);
    return prev;
  }

  /** Visits live keys with their current version, from the first not `isBefore`, while `visit` returns true. */
  scanLive(isBefore: (key: string) => boolean, visit: (kv: KeyValue) => boolean): void {
    const histories = this.histories;
    this.live.scan(isBefore, (key) => visit(histories.get(key)!.head()!));
  }

  /** How many live keys satisfy the monotone bound `isBefore`. */
  rankLive(isBefore: (key: string) => boolean): number {
    return this.live.rank(isBefore);
  }

  /** Visits every key with history, from the first not `isBefore`, while `visit` returns true. */
  scanIndexed(isBefore: (key: string) => boolean, visit: (key: string, history: KeyHistory) => boolean): void {
    const histories = this.histories;
    this.indexed.scan(isBefore, (key) => visit(key, histories.get(key)!));
  }

  /** Drops history no read at `revision` or later can see; keys left with nothing are forgotten. */
  compact(revision: number): void {
    const gone: string[] = [];
    for (const key of this.compactable) {
      const h = this.histories.get(key)!;
      this.versionCount -= h.compact(revision);
      if (h.length === 0) gone.push(key);
      else if (!h.isCompactable()) this.compactable.delete(key);
    }
    for (const key of gone) {
      this.histories.delete(key);
      this.indexed.delete(key);
      this.compactable.delete(key);
    }
  }

  /**
   * Visits the versions a compaction at `compactRevision` kept from below it:
   * each key's latest version older than `compactRevision`, if it was alive
   * then. In key order.
   */
  forEachVersionBefore(compactRevision: number, visit: (kv: KeyValue) => void): void {
    const histories = this.histories;
    this.indexed.scan(
      () => false,
      (key) => {
        const kv = histories.get(key)!.at(compactRevision - 1);
        if (kv !== undefined) visit(kv);
        return true;
      },
    );
  }

  get liveCount(): number {
    return this.live.size;
  }

  get indexedCount(): number {
    return this.indexed.size;
  }

  get versions(): number {
    return this.versionCount;
  }

  private record(key: string, h: KeyHistory, revision: number, kv: KeyValue | undefined): void {
    const before = h.length;
    h.record(revision, kv);
    this.versionCount += h.length - before;
    if (h.isCompactable()) this.compactable.add(key);
    invariant(h.length > 0, 'key history empty after a write');
  }
}
