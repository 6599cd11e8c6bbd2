import { invariant } from './errors.js';
import { EventLog, deleteEvent, putEvent } from './event-log.js';
import { MvccIndex } from './mvcc-index.js';
import type { KeyValue, WatchEvent } from './types.js';

/** The writes of one revision in progress: its events so far, in order. */
export interface WriteBatch {
  readonly revision: number;
  readonly events: WatchEvent[];
}

/**
 * The whole replicated state: the index, the event log and the two
 * revisions. Every write goes through put/delete here, by apply and by
 * restore alike, so a restored store is built by the very code that built
 * the original.
 *
 * Invariants: 1 <= revision; compactRevision <= revision; every revision in
 * [max(2, compactRevision), revision] has at least one event in the log (a
 * revision is only made by a write that changed something).
 */
export class StoreState {
  /** The revision of the last write; 1 for an empty store. */
  revision = 1;
  /** Reads and watches may start here or later; 0 until the first compaction. */
  compactRevision = 0;

  constructor(
    readonly index: MvccIndex = new MvccIndex(),
    readonly log: EventLog = new EventLog(),
  ) {}

  /** Starts the writes of the next revision (restore passes the revision it replays). */
  beginWrite(revision: number = this.revision + 1): WriteBatch {
    invariant(revision > this.revision, `write at revision ${revision}, not after ${this.revision}`);
    return { revision, events: [] };
  }

  put(batch: WriteBatch, key: string, value: Uint8Array): { kv: KeyValue; prev: KeyValue | undefined } {
    const r = this.index.put(key, value, batch.revision);
    batch.events.push(putEvent(r.kv, r.prev));
    return r;
  }

  /** Deletes `key`; undefined (and no event) if it did not exist. */
  delete(batch: WriteBatch, key: string): KeyValue | undefined {
    const prev = this.index.delete(key, batch.revision);
    if (prev !== undefined) batch.events.push(deleteEvent(prev, batch.revision));
    return prev;
  }

  /** Ends a batch: if it changed anything, its revision becomes the store's. Returns whether it did. */
  commit(batch: WriteBatch): boolean {
    if (batch.events.length === 0) return false;
    this.revision = batch.revision;
    this.log.append(batch.events);
    return true;
  }

  /** Forgets history and events below `revision` (compactRevision < revision <= this.revision). */
  compact(revision: number): void {
    invariant(revision > this.compactRevision && revision <= this.revision, `compact to ${revision} outside (${this.compactRevision}, ${this.revision}]`);
    this.index.compact(revision);
    this.log.compact(revision);
    this.compactRevision = revision;
  }
}
