import { fieldValue, type ApiObject } from '../api/index.js';
import { CompactedRevisionError, type KvStore, type StoreNotification, type WatchEvent } from '../store/index.js';
import type { ApiFailure } from './api-protocol.js';
import { decodeNotified, decodeObject } from './registry.js';

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

/**
 * A watch that selects on one field's exact value (a node agent's
 * `spec.nodeName=n1`): the hub finds its watchers by that value, so a change
 * costs the watchers it concerns, not all of them.
 */
export interface WatchIndex {
  readonly field: string;
  readonly value: string;
}

interface Watcher {
  readonly prefix: string;
  readonly selector: ObjectFilter | null;
  readonly index: WatchIndex | null;
  readonly send: (m: WatchMessage) => void;
  /** The next revision this watcher has not seen. */
  next: number;
}

/** The watchers of one indexed field: by value, and the prefixes they watch (with counts), so other keys are skipped undecoded. */
interface IndexedWatchers {
  readonly byValue: Map<string, Set<string>>;
  readonly prefixes: Map<string, number>;
}

/** An event's objects, decoded once for every watcher that wants them. */
class DecodedEvent {
  private after: ApiObject | undefined;
  private before: ApiObject | null | undefined;
  /** `notified`: the store notification that brought the event, whose decodes the hub shares with the store's other listeners. */
  constructor(
    readonly ev: WatchEvent,
    private readonly notified?: StoreNotification,
  ) {}
  /** The object as of the event (for DELETE, its last version), with the event's revision as its version. */
  get object(): ApiObject {
    if (this.after === undefined) {
      if (this.ev.type === 'PUT') {
        // A put's kv carries the event's revision as its modRevision.
        this.after = this.notified !== undefined ? decodeNotified(this.notified, this.ev.kv) : decodeObject(this.ev.kv);
      } else {
        const decoded = decodeObject(this.ev.prevKv);
        this.after = { ...decoded, metadata: { ...decoded.metadata, resourceVersion: String(this.ev.revision) } } as ApiObject;
      }
    }
    return this.after;
  }
  /** The version before a PUT (null if none). */
  get previous(): ApiObject | null {
    if (this.before === undefined) this.before = this.ev.type === 'PUT' && this.ev.prevKv ? decodeObject(this.ev.prevKv) : null;
    return this.before;
  }
}

const REPLAY_PAGE = 1_000;
/** Recent events kept decoded, for watches that start a little in the past (a node agent's, after its list). */
const RECENT_MAX = 50_000;

/**
 * Fans the store's changes out to watchers, each from the revision it asked
 * for: past events first (as long as they are not compacted), then live ones,
 * with no gap and no duplicate. One subscription to the store serves all.
 */
export class WatchHub {
  private readonly watchers = new Map<string, Watcher>();
  /** Watchers with an index: field -> value -> ids. The rest are in `plain`. */
  private readonly indexed = new Map<string, IndexedWatchers>();
  private readonly plain = new Set<string>();
  private unsubscribe: (() => void) | null = null;
  /**
   * The events since `recentFrom`, in revision order, each decoded at most
   * once: a thousand agents starting their watches from about the same
   * revision replay them from here instead of reading and decoding the
   * store's history a thousand times (the Kubernetes watch cache's job).
   */
  private recent: DecodedEvent[] = [];
  private recentFrom = Number.POSITIVE_INFINITY;
  /** The last revision the hub has heard of from the store. */
  private heard = 0;

  constructor(private readonly store: KvStore) {}

  /**
   * Starts a watch of every key under `prefix`. `fromRevision` absent: only
   * changes after now. A compacted start ends the watch with OUT_OF_RANGE-like
   * FAILED_PRECONDITION naming both revisions.
   */
  add(id: string, prefix: string, selector: ObjectFilter | null, fromRevision: number | undefined, send: (m: WatchMessage) => void, index: WatchIndex | null = null): void {
    const w: Watcher = { prefix, selector, index, send, next: fromRevision ?? this.store.revision + 1 };
    if (this.unsubscribe === null) {
      this.unsubscribe = this.store.subscribe((n) => this.onStore(n));
      this.recent = [];
      this.recentFrom = this.store.revision + 1;
      this.heard = this.store.revision;
    }
    if (!this.catchUp(id, w)) return;
    this.watchers.set(id, w);
    if (index === null) this.plain.add(id);
    else {
      let entry = this.indexed.get(index.field);
      if (entry === undefined) this.indexed.set(index.field, (entry = { byValue: new Map(), prefixes: new Map() }));
      let ids = entry.byValue.get(index.value);
      if (ids === undefined) entry.byValue.set(index.value, (ids = new Set()));
      ids.add(id);
      entry.prefixes.set(prefix, (entry.prefixes.get(prefix) ?? 0) + 1);
    }
    send({ type: 'watch-started', watchId: id, revision: this.store.revision });
  }

  remove(id: string): void {
    const w = this.watchers.get(id);
    this.watchers.delete(id);
    this.plain.delete(id);
    if (w?.index) {
      const entry = this.indexed.get(w.index.field);
      const ids = entry?.byValue.get(w.index.value);
      if (entry !== undefined && ids?.delete(id)) {
        if (ids.size === 0) entry.byValue.delete(w.index.value);
        const n = (entry.prefixes.get(w.prefix) ?? 1) - 1;
        if (n === 0) entry.prefixes.delete(w.prefix);
        else entry.prefixes.set(w.prefix, n);
      }
    }
    if (this.watchers.size === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
      this.recent = [];
      this.recentFrom = Number.POSITIVE_INFINITY;
    }
  }

  get size(): number {
    return this.watchers.size;
  }

  /** Sends past events from `w.next`; false (and an error sent) if they are compacted. */
  private catchUp(id: string, w: Watcher): boolean {
    if (w.next >= this.recentFrom && w.next >= this.store.compactRevision) {
      // Binary search for the first recent event at or after w.next.
      let lo = 0;
      let hi = this.recent.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.recent[mid]!.ev.revision < w.next) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < this.recent.length; i++) {
        const d = this.recent[i]!;
        if (!d.ev.kv.key.startsWith(w.prefix)) continue;
        if (w.index !== null && fieldValue(d.object, w.index.field) !== w.index.value && (d.previous === null || fieldValue(d.previous, w.index.field) !== w.index.value)) continue;
        this.deliver(id, w, d);
      }
      // Never backwards: a watch asked from ahead of this store keeps its start.
      w.next = Math.max(w.next, this.heard + 1);
      return true;
    }
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
      for (const ev of page.events) this.deliver(id, w, new DecodedEvent(ev));
      w.next = page.nextRevision;
      if (!page.more) return true;
    }
  }

  private onStore(n: StoreNotification): void {
    if (n.type === 'events') {
      const events = n.events.map((ev) => new DecodedEvent(ev, n));
      this.recent.push(...events);
      this.heard = n.revision;
      if (this.recent.length > RECENT_MAX * 2) {
        // Cut on a revision boundary: a revision is replayed whole or not at all.
        let cut = this.recent.length - RECENT_MAX;
        while (cut < this.recent.length && this.recent[cut]!.ev.revision === this.recent[cut - 1]!.ev.revision) cut++;
        this.recent = this.recent.slice(cut);
        this.recentFrom = this.recent[0]?.ev.revision ?? n.revision + 1;
      }
      for (const id of this.plain) {
        const w = this.watchers.get(id)!;
        if (n.revision < w.next) continue;
        for (const ev of events) if (ev.ev.kv.key.startsWith(w.prefix)) this.deliver(id, w, ev);
      }
      // Indexed watchers hear the events whose object has (or had) their value.
      for (const [field, { byValue, prefixes }] of this.indexed) {
        for (const ev of events) {
          const key = ev.ev.kv.key;
          let watched = false;
          for (const p of prefixes.keys()) if (key.startsWith(p)) watched = true;
          if (!watched) continue; // not a key any indexed watcher watches: not even decoded
          const values = new Set([fieldValue(ev.object, field), ...(ev.previous ? [fieldValue(ev.previous, field)] : [])]);
          for (const value of values) {
            for (const id of byValue.get(value) ?? []) {
              const w = this.watchers.get(id)!;
              if (n.revision >= w.next && ev.ev.kv.key.startsWith(w.prefix)) this.deliver(id, w, ev);
            }
          }
        }
      }
      for (const w of this.watchers.values()) if (n.revision >= w.next) w.next = n.revision + 1;
    } else if (n.type === 'restored') {
      // History from before the snapshot is not ours to replay from memory.
      this.recent = [];
      this.recentFrom = n.revision + 1;
      this.heard = n.revision;
      // A snapshot replaced the store: replay what each watcher has not seen.
      for (const [id, w] of [...this.watchers]) if (!this.catchUp(id, w)) this.remove(id);
    }
  }

  private deliver(id: string, w: Watcher, d: DecodedEvent): void {
    const ev = d.ev;
    const object = d.object;
    if (w.selector && !w.selector(object)) {
      // An object that stopped matching leaves the watcher's view.
      const before = d.previous;
      if (ev.type === 'PUT' && before && w.selector(before)) {
        w.send({ type: 'watch-event', watchId: id, event: 'DELETED', object, revision: ev.revision });
      }
      return;
    }
    // An object that comes into the watcher's view (new, or newly matching) is ADDED.
    const before = d.previous;
    const entered = ev.type === 'PUT' && (ev.kv.version === 1 || (w.selector !== null && before !== null && !w.selector(before)));
    const event = ev.type === 'DELETE' ? 'DELETED' : entered ? 'ADDED' : 'MODIFIED';
    w.send({ type: 'watch-event', watchId: id, event, object, revision: ev.revision });
  }
}
