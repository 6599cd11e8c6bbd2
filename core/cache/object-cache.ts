import { keyFor, prefixFor, type ApiObject, type Kind, type ObjectOfKind } from '../api/index.js';
import { decodeNotified, decodeObject } from '../master/index.js';
import type { KvStore, StoreNotification } from '../store/index.js';

/** One change the cache saw: `old` is the version before (absent for ADDED), `object` the version after (for DELETED, the last one). */
export interface CacheChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly kind: Kind;
  readonly object: ApiObject;
  readonly old?: ApiObject;
}

export type CacheListener = (changes: readonly CacheChange[]) => void;

/**
 * The decoded objects of a few kinds, as the local store holds them, kept
 * current by the store's notifications: the view the leader-only work (the
 * scheduler and the controllers) reads, with no round trip and no decoding
 * per read. Listeners hear each applied revision's changes synchronously,
 * inside the store's apply; they should only note what to do and act later
 * (tell an actor), never write from there.
 *
 * A restore (a raft snapshot replacing the store) is replayed as the
 * differences between the old view and the new store.
 */
export class ObjectCache {
  private readonly objects = new Map<Kind, Map<string, ApiObject>>();
  private readonly prefixes: readonly (readonly [string, Kind])[];
  private readonly listeners = new Set<CacheListener>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: KvStore,
    kinds: readonly Kind[],
  ) {
    this.prefixes = kinds.map((k) => [prefixFor(k), k] as const);
    for (const k of kinds) this.objects.set(k, new Map());
    this.load(null);
    this.unsubscribe = store.subscribe((n) => this.onStore(n));
  }

  /** The store revision the view reflects. */
  get revision(): number {
    return this.store.revision;
  }

  list<K extends Kind>(kind: K): IterableIterator<ObjectOfKind<K>> {
    return this.byKind(kind).values() as IterableIterator<ObjectOfKind<K>>;
  }

  size(kind: Kind): number {
    return this.byKind(kind).size;
  }

  get<K extends Kind>(kind: K, namespace: string | undefined, name: string): ObjectOfKind<K> | undefined {
    return this.byKind(kind).get(keyFor(kind, namespace, name)) as ObjectOfKind<K> | undefined;
  }

  /** Listens for changes; returns the function that stops it. */
  onChange(listener: CacheListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private byKind(kind: Kind): Map<string, ApiObject> {
    const m = this.objects.get(kind);
    if (m === undefined) throw new Error(`ObjectCache: ${kind} is not cached (kinds: ${this.prefixes.map(([, k]) => k).join(', ')})`);
    return m;
  }

  private kindOfKey(key: string): Kind | undefined {
    for (const [prefix, kind] of this.prefixes) if (key.startsWith(prefix)) return kind;
    return undefined;
  }

  /** Reads every cached kind from the store; with `changes`, records what differs from the view before. */
  private load(changes: CacheChange[] | null): void {
    for (const [prefix, kind] of this.prefixes) {
      const before = this.objects.get(kind)!;
      const after = new Map<string, ApiObject>();
      let startAfter: string | undefined;
      for (;;) {
        const page = this.store.range({ prefix, limit: 1_000, ...(startAfter !== undefined ? { startAfter } : {}) });
        for (const kv of page.kvs) after.set(kv.key, decodeObject(kv));
        if (!page.more || page.kvs.length === 0) break;
        startAfter = page.kvs[page.kvs.length - 1]!.key;
      }
      if (changes !== null) {
        for (const [key, obj] of after) {
          const old = before.get(key);
          if (old === undefined) changes.push({ type: 'ADDED', kind, object: obj });
          else if (old.metadata.uid !== obj.metadata.uid) changes.push({ type: 'DELETED', kind, object: old, old }, { type: 'ADDED', kind, object: obj });
          else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) changes.push({ type: 'MODIFIED', kind, object: obj, old });
        }
        for (const [key, old] of before) if (!after.has(key)) changes.push({ type: 'DELETED', kind, object: old, old });
      }
      this.objects.set(kind, after);
    }
  }

  private onStore(n: StoreNotification): void {
    const changes: CacheChange[] = [];
    if (n.type === 'restored') {
      this.load(changes);
    } else if (n.type === 'events') {
      for (const ev of n.events) {
        const kind = this.kindOfKey(ev.kv.key);
        if (kind === undefined) continue;
        const map = this.objects.get(kind)!;
        const old = map.get(ev.kv.key);
        if (ev.type === 'DELETE') {
          if (old === undefined) continue;
          map.delete(ev.kv.key);
          changes.push({ type: 'DELETED', kind, object: old, old });
        } else {
          const obj = decodeNotified(n, ev.kv);
          map.set(ev.kv.key, obj);
          changes.push(old === undefined ? { type: 'ADDED', kind, object: obj } : { type: 'MODIFIED', kind, object: obj, old });
        }
      }
    }
    if (changes.length === 0) return;
    for (const l of this.listeners) l(changes);
  }
}
