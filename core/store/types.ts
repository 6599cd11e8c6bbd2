/**
 * The data the store holds and hands out: key-values with their revisions,
 * watch events, and the shapes of reads. Plain data, msgpack-friendly (apply
 * results travel to proposers over the transport), no classes.
 *
 * Everything handed out is shared with the store (no copies are made on the
 * read path): treat it as immutable, values included.
 */

/** One version of a key. Keys are strings, ordered as JavaScript orders strings (by UTF-16 code unit). */
export interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
  /** The revision that created the key (since its last delete). */
  readonly createRevision: number;
  /** The revision of the write that made this version. */
  readonly modRevision: number;
  /** 1 when created, +1 on every put since; a delete ends it and a later put starts again at 1. */
  readonly version: number;
}

/**
 * One change, as a watcher sees it. Events of one revision come in the order
 * of the operations that made them (a transaction's puts and deletes in order).
 * A DELETE's `kv` is a tombstone: the key, `modRevision` = the revision of the
 * delete, version and createRevision 0, an empty value.
 */
export type WatchEvent =
  | {
      readonly type: 'PUT';
      readonly revision: number;
      readonly kv: KeyValue;
      /** The version this put replaced; absent when the put created the key. */
      readonly prevKv?: KeyValue;
    }
  | {
      readonly type: 'DELETE';
      readonly revision: number;
      readonly kv: KeyValue;
      /** The version the delete removed. */
      readonly prevKv: KeyValue;
    };

/** One key, or every key that starts with `prefix` ('' is every key). */
export type KeySelector = { readonly key: string; readonly prefix?: never } | { readonly prefix: string; readonly key?: never };

/** What a watch follows. */
export type WatchFilter = KeySelector;

export interface RangeOptions {
  /** The revision to read at; absent or 0 for the current one. Must not be compacted. */
  readonly revision?: number;
  /** At most this many keys; absent or 0 for no limit. */
  readonly limit?: number;
  /** Continuation: only keys strictly after this one (pass the last key of the previous page). */
  readonly startAfter?: string;
  /** Only count: `kvs` comes back empty. */
  readonly countOnly?: boolean;
  /** Keys and metadata without values (each value empty). */
  readonly keysOnly?: boolean;
}

export type RangeQuery = KeySelector & RangeOptions;

export interface RangeResult {
  readonly type: 'range';
  /** The revision read at: the one asked for, or the current one. */
  readonly revision: number;
  /** In key order, at most `limit`. */
  readonly kvs: readonly KeyValue[];
  /** How many keys the range holds after `startAfter`, ignoring `limit`. */
  readonly count: number;
  /** Whether keys beyond the last one returned remain (`count > kvs.length`, unless countOnly). */
  readonly more: boolean;
}

/** A page of past events, for a watch that starts at a past revision. */
export interface EventsPage {
  /** Events with revision >= the one asked for, in revision order, whole revisions only. */
  readonly events: readonly WatchEvent[];
  /** The store's revision when read. */
  readonly revision: number;
  /** Where to continue: pass it as `fromRevision` next time (or follow the listener from here). */
  readonly nextRevision: number;
  /** Whether `limit` cut the page short. */
  readonly more: boolean;
}

/** What a store listener is told, synchronously, as it happens. */
export type StoreNotification =
  /** A write was applied: its revision's events, in order. */
  | { readonly type: 'events'; readonly revision: number; readonly events: readonly WatchEvent[] }
  /** History below `compactRevision` is gone. */
  | { readonly type: 'compacted'; readonly compactRevision: number }
  /**
   * The whole state was replaced from a snapshot (a follower that fell behind).
   * Watchers may have missed events: resume them with eventsSince from their
   * next revision, which the snapshot keeps unless it was compacted.
   */
  | { readonly type: 'restored'; readonly revision: number; readonly compactRevision: number };

export type StoreListener = (notification: StoreNotification) => void;

export interface StoreStats {
  readonly revision: number;
  readonly compactRevision: number;
  /** Keys alive now. */
  readonly keys: number;
  /** Keys with any history kept (alive now, or deleted at a revision not yet compacted). */
  readonly indexedKeys: number;
  /** Versions and tombstones kept across all keys. */
  readonly versions: number;
  /** Events kept for watches. */
  readonly events: number;
}
