import { EMPTY_BYTES } from './bytes.js';
import type { KeyValue, WatchEvent, WatchFilter } from './types.js';

/**
 * The events kept for watches, in revision order (and within a revision in
 * the order of the operations that made them). Events share their key-values
 * with the index, so keeping them costs an object per event, not a value.
 *
 * Costs, E events kept: append O(1) amortized; reading from a revision
 * O(log E + e) for the e events from there on (filtered as it goes: a watch
 * on one key still walks every event after its start); compaction O(E).
 */
export class EventLog {
  private events: WatchEvent[] = [];

  get length(): number {
    return this.events.length;
  }

  append(events: readonly WatchEvent[]): void {
    for (const e of events) this.events.push(e);
  }

  /**
   * Events with revision >= `fromRevision` matching `filter`, whole revisions
   * only: once `limit` (> 0) events are gathered, the page ends with that
   * revision. `nextRevision` is where to go on (undefined when the log ran out).
   */
  since(filter: WatchFilter, fromRevision: number, limit: number): { events: WatchEvent[]; nextRevision: number | undefined } {
    const all = this.events;
    const matches = keyMatcher(filter);
    const out: WatchEvent[] = [];
    for (let i = this.firstAtOrAfter(fromRevision); i < all.length; i++) {
      const e = all[i]!;
      if (limit > 0 && out.length >= limit && e.revision !== out[out.length - 1]!.revision) {
        return { events: out, nextRevision: e.revision };
      }
      if (matches(e.kv.key)) out.push(e);
    }
    return { events: out, nextRevision: undefined };
  }

  /** Drops the events below `revision`. */
  compact(revision: number): void {
    const n = this.firstAtOrAfter(revision);
    if (n > 0) this.events.splice(0, n);
  }

  /** Every event kept, oldest first (for snapshots). */
  all(): readonly WatchEvent[] {
    return this.events;
  }

  /** The index of the first event with revision >= `revision`. */
  private firstAtOrAfter(revision: number): number {
    const all = this.events;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid]!.revision < revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function keyMatcher(filter: WatchFilter): (key: string) => boolean {
  if (filter.key !== undefined) {
    const key = filter.key;
    return (k) => k === key;
  }
  const prefix = filter.prefix;
  return (k) => k.startsWith(prefix);
}

/** The event of a put that made `kv` in place of `prev`. */
export function putEvent(kv: KeyValue, prev: KeyValue | undefined): WatchEvent {
  return prev === undefined
    ? { type: 'PUT', revision: kv.modRevision, kv }
    : { type: 'PUT', revision: kv.modRevision, kv, prevKv: prev };
}

/** The event of a delete of `prev` at `revision`. */
export function deleteEvent(prev: KeyValue, revision: number): WatchEvent {
  return {
    type: 'DELETE',
    revision,
    kv: { key: prev.key, value: EMPTY_BYTES, createRevision: 0, modRevision: revision, version: 0 },
    prevKv: prev,
  };
}
