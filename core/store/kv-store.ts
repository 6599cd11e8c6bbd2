import type { Entry, StateMachine } from '../../raft/index.js';
import { applyCommand } from './apply-command.js';
import { decodeCommand } from './command-codec.js';
import { validateCommand } from './command-validate.js';
import type { Command, CommandResult, RejectedResult, ResultOf } from './commands.js';
import { CompactedRevisionError, FutureRevisionError, InvalidRequestError, MalformedCommandError } from './errors.js';
import { rangeAt, rangeCurrent } from './range.js';
import { malformedRejection } from './rejections.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot.js';
import { StoreState } from './store-state.js';
import type {
  EventsPage,
  KeyValue,
  RangeQuery,
  RangeResult,
  StoreListener,
  StoreNotification,
  StoreStats,
  WatchFilter,
} from './types.js';

export interface KvStoreOptions {
  /**
   * Told when a listener throws. The listener is removed first (it has missed
   * the rest of its notification, so following on would leave a gap). The
   * default does nothing more.
   */
  readonly onListenerError: (error: unknown) => void;
}

/**
 * The MVCC key-value store: raft's state machine for the masters. Writes
 * come only through apply (or applyCommand, its typed twin); reads are served
 * from whatever has been applied (the master waits for a ReadIndex first when
 * a read must be linearizable). Single-threaded and synchronous: a caller
 * that reads events and then subscribes in one turn misses nothing.
 */
export interface KvStore extends StateMachine {
  /** The revision of the last write; 1 for an empty store. */
  readonly revision: number;
  /** Reads and watches may start at this revision or later; 0 until the first compaction. */
  readonly compactRevision: number;

  /** Applies a committed entry: decodes its command and applies it. Never throws for a bad command: it is rejected. */
  apply(entry: Entry): CommandResult;
  /** Applies a command directly (tests, simulations): the same checks and results as apply. */
  applyCommand<C extends Command>(command: C): ResultOf<C> | RejectedResult;

  /** A key or prefix, now or at a past revision. Throws CompactedRevisionError, FutureRevisionError, InvalidRequestError. */
  range(query: RangeQuery): RangeResult;
  /** One key now, or as of `revision`; undefined if it did not exist. Throws as range does. */
  get(key: string, revision?: number): KeyValue | undefined;

  /**
   * Past events for a key or prefix from `fromRevision` (inclusive), for a
   * watch that starts in the past. `limit` (> 0) bounds the events gathered,
   * but a revision is never split. Throws CompactedRevisionError when
   * `fromRevision` is below compactRevision.
   */
  eventsSince(filter: WatchFilter, fromRevision: number, options?: Partial<{ limit: number }>): EventsPage;

  /**
   * Registers a listener, called synchronously after every apply that wrote
   * (with that revision's events, in order), every compaction and every
   * restore. Returns the function that removes it.
   */
  subscribe(listener: StoreListener): () => void;

  stats(): StoreStats;
}

export function createKvStore(options: Partial<KvStoreOptions> = {}): KvStore {
  return new MvccKvStore(options.onListenerError ?? (() => {}));
}

class MvccKvStore implements KvStore {
  private state = new StoreState();
  private listeners: StoreListener[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  get revision(): number {
    return this.state.revision;
  }

  get compactRevision(): number {
    return this.state.compactRevision;
  }

  apply(entry: Entry): CommandResult {
    let cmd: Command;
    try {
      cmd = decodeCommand(entry.data);
    } catch (e) {
      if (e instanceof MalformedCommandError) return malformedRejection(e, this.state.revision);
      throw e;
    }
    return this.run(cmd);
  }

  applyCommand<C extends Command>(command: C): ResultOf<C> | RejectedResult {
    let cmd: Command;
    try {
      cmd = validateCommand(command);
    } catch (e) {
      if (e instanceof MalformedCommandError) return malformedRejection(e, this.state.revision);
      throw e;
    }
    return this.run(cmd) as ResultOf<C> | RejectedResult;
  }

  private run(cmd: Command): CommandResult {
    const { result, events, compacted } = applyCommand(this.state, cmd);
    if (events.length > 0) this.notify({ type: 'events', revision: this.state.revision, events });
    if (compacted) this.notify({ type: 'compacted', compactRevision: this.state.compactRevision });
    return result;
  }

  range(query: RangeQuery): RangeResult {
    const hasKey = query.key !== undefined;
    if (hasKey === (query.prefix !== undefined)) throw new InvalidRequestError('key', 'a range needs exactly one of key and prefix');
    if (hasKey && typeof query.key === 'string' && query.key.length === 0) throw new InvalidRequestError('key', 'must not be empty');
    if (query.limit !== undefined && !(Number.isSafeInteger(query.limit) && query.limit >= 0)) {
      throw new InvalidRequestError('limit', `expected an integer >= 0, got ${String(query.limit)}`);
    }
    const revision = this.readRevision(query.revision);
    const { kvs, count, more } =
      revision === this.state.revision ? rangeCurrent(this.state.index, query, query) : rangeAt(this.state.index, query, query, revision);
    return { type: 'range', revision, kvs, count, more };
  }

  get(key: string, revision?: number): KeyValue | undefined {
    const rev = this.readRevision(revision);
    return rev === this.state.revision ? this.state.index.head(key) : this.state.index.at(key, rev);
  }

  eventsSince(filter: WatchFilter, fromRevision: number, options: Partial<{ limit: number }> = {}): EventsPage {
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 1) {
      throw new InvalidRequestError('fromRevision', `expected a revision (an integer >= 1), got ${String(fromRevision)}`);
    }
    const limit = options.limit ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidRequestError('limit', `expected an integer >= 0, got ${String(limit)}`);
    const state = this.state;
    if (fromRevision < state.compactRevision) throw new CompactedRevisionError(fromRevision, state.compactRevision);
    const { events, nextRevision } = state.log.since(filter, fromRevision, limit);
    return {
      events,
      revision: state.revision,
      nextRevision: nextRevision ?? Math.max(fromRevision, state.revision + 1),
      more: nextRevision !== undefined,
    };
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  snapshot(): Uint8Array {
    return encodeSnapshot(this.state);
  }

  restore(data: Uint8Array): void {
    // Decode fully first: a bad snapshot throws and leaves the store as it was.
    this.state = decodeSnapshot(data);
    this.notify({ type: 'restored', revision: this.state.revision, compactRevision: this.state.compactRevision });
  }

  stats(): StoreStats {
    const { index, log, revision, compactRevision } = this.state;
    return {
      revision,
      compactRevision,
      keys: index.liveCount,
      indexedKeys: index.indexedCount,
      versions: index.versions,
      events: log.length,
    };
  }

  /** The revision a read asks for, checked: 0 or absent is the current one. */
  private readRevision(revision: number | undefined): number {
    const current = this.state.revision;
    if (revision === undefined || revision === 0) return current;
    if (!Number.isSafeInteger(revision) || revision < 0) {
      throw new InvalidRequestError('revision', `expected an integer >= 0, got ${String(revision)}`);
    }
    if (revision > current) throw new FutureRevisionError(revision, current);
    if (revision < this.state.compactRevision) throw new CompactedRevisionError(revision, this.state.compactRevision);
    return revision;
  }

  /** Tells every listener; one that throws is removed and reported, the others still hear. */
  private notify(n: StoreNotification): void {
    // `listeners` is replaced, never mutated, so this loop sees a fixed list
    // even if a listener subscribes or unsubscribes.
    for (const listener of this.listeners) {
      try {
        listener(n);
      } catch (e) {
        this.listeners = this.listeners.filter((l) => l !== listener);
        this.onListenerError(e);
      }
    }
  }
}
