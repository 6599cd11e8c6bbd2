import type { ApiObject } from '../api/index.js';
import { CompactedRevisionError, type KvStore, type StoreNotification, type WatchEvent } from '../store/index.js';
import type { ApiFailure } from './api-protocol.js';
import { decodeObject } from './registry.js';

/** What a watcher receives: changes in revision order, then maybe an error that ends the watch. */
export type WatchMessage =
  | {
      readonly type: 'watch-event';
      readonly watchId: string;
      readonly event: 'ADDED' | 'MODIFIED' | 'DELETED';
      readonly object: ApiObject;
      readonly revision: number;
    }
  | { readonly type: 'watch-error'; readonly watchId: string; readonly error: ApiFailure }
  /**
   * The watch is in place: sent once, after the past events it replayed.
   * A subscriber that sees neither this nor an error soon after asking
   * knows its request was lost, and asks again.
   */
  | { readonly type: 'watch-started'; readonly watchId: string; readonly revision: number };

/** Which objects a watcher sees (its label and field selectors); null: all under the prefix. */
export type ObjectFilter = (obj: ApiObject) => boolean;

interface Watcher {
  readonly prefix: string;
  readonly selector: ObjectFilter | null;
  readonly send: (m: WatchMessage) => void;
  /** The next revision this watcher has not seen. */
  next: number;
}

const REPLAY_PAGE = 1_000;

/**
 * Fans the store's changes out to watchers, each from the revision it asked
 * for: past events first (as long as they are not compacted), then live ones,
 * with no gap and no duplicate. One subscription to the store serves all.
 */
export class WatchHub {
  private readonly watchers = new Map<string, Watcher>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly store: KvStore) {}

  /**
   * Starts a watch of every key under `prefix`. `fromRevision` absent: only
   * changes after now. A compacted start ends the watch with OUT_OF_RANGE-like
   * FAILED_PRECONDITION naming both revisions.
   */
  add(id: string, prefix: string, selector: ObjectFilter | null, fromRevision: number | undefined, send: (m: WatchMessage) => void): void {
    const w: Watcher = { prefix, selector, send, next: fromRevision ?? this.store.revision + 1 };
    this.unsubscribe ??= this.store.subscribe((n) => this.onStore(n));
    if (!this.catchUp(id, w)) return;
    this.watchers.set(id, w);
    send({ type: 'watch-started', watchId: id, revision: this.store.revision });
  }

  remove(id: string): void {
    this.watchers.delete(id);
    if (this.watchers.size === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
    }
  }

  get size(): number {
    return this.watchers.size;
  }

  /** Sends past events from `w.next`; false (and an error sent) if they are compacted. */
  private catchUp(id: string, w: Watcher): boolean {
    for (;;) {
      if (w.next > this.store.revision) return true;
      let page;
      try {
        page = this.store.eventsSince({ prefix: w.prefix }, w.next, { limit: REPLAY_PAGE });
      } catch (e) {
        if (!(e instanceof CompactedRevisionError)) throw e;
        w.send({ type: 'watch-error', watchId: id, error: { code: 'FAILED_PRECONDITION', message: e.message, details: { expectedRevision: String(w.next) } } });
        return false;
      }
      for (const ev of page.events) this.deliver(id, w, ev);
      w.next = page.nextRevision;
      if (!page.more) return true;
    }
  }

  private onStore(n: StoreNotification): void {
    if (n.type === 'events') {
      for (const [id, w] of this.watchers) {
        if (n.revision < w.next) continue;
        for (const ev of n.events) if (ev.kv.key.startsWith(w.prefix)) this.deliver(id, w, ev);
        w.next = n.revision + 1;
      }
    } else if (n.type === 'restored') {
      // A snapshot replaced the store: replay what each watcher has not seen.
      for (const [id, w] of [...this.watchers]) if (!this.catchUp(id, w)) this.watchers.delete(id);
    }
  }

  private deliver(id: string, w: Watcher, ev: WatchEvent): void {
    const decoded = decodeObject(ev.type === 'DELETE' ? ev.prevKv : ev.kv);
    // Every event carries the revision of the change as the object's version.
    const object = { ...decoded, metadata: { ...decoded.metadata, resourceVersion: String(ev.revision) } } as ApiObject;
    if (w.selector && !w.selector(object)) {
      // An object that stopped matching leaves the watcher's view.
      const before = ev.prevKv ? decodeObject(ev.prevKv) : null;
      if (ev.type === 'PUT' && before && w.selector(before)) {
        w.send({ type: 'watch-event', watchId: id, event: 'DELETED', object, revision: ev.revision });
      }
      return;
    }
    // An object that comes into the watcher's view (new, or newly matching) is ADDED.
    const entered = ev.type === 'PUT' && (ev.kv.version === 1 || (w.selector !== null && ev.prevKv !== undefined && !w.selector(decodeObject(ev.prevKv))));
    const event = ev.type === 'DELETE' ? 'DELETED' : entered ? 'ADDED' : 'MODIFIED';
    w.send({ type: 'watch-event', watchId: id, event, object, revision: ev.revision });
  }
}
