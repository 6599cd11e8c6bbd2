import type { Entry, HardState, Snapshot } from '../core/types.js';

/** What a replica finds on disk when it opens its log. */
export interface RecoveredState {
  /** The newest snapshot saved, or null. */
  readonly snapshot: Snapshot | null;
  /**
   * Term and vote as last saved. `commit` is at least the snapshot's index and
   * at most the last recovered index (it may be older than the last saved).
   */
  readonly hardState: HardState;
  /** Entries after the snapshot's index, contiguous and in order. */
  readonly entries: readonly Entry[];
}

/**
 * A replica's durable state: the log, the hard state and snapshots. The
 * replica persists through this before it sends or acknowledges anything.
 *
 * Contract:
 * - `save` resolves only when everything it was given is durable (fsync).
 *   Calls made while a save is in flight are written together and share one
 *   fsync (group commit); they resolve in call order. `saveSnapshot` is
 *   ordered with them (one queue).
 * - Entries whose index is <= an index already saved replace the old entry
 *   and everything after it (a new leader overwriting an uncommitted tail).
 *   Entries at or below the snapshot's index are ignored.
 * - A term or vote change is durable before `save` resolves; a change of the
 *   commit index alone may be recovered as an older value (the commit index
 *   is volatile in Raft: the leader re-establishes it).
 * - Raft's snapshot rule: if the log holds the snapshot's entry (same index
 *   and term), the entries after it are kept (local compaction); otherwise
 *   the snapshot replaces the whole log (a follower catching up). A snapshot
 *   not newer than the last one saved is ignored (the call still resolves).
 * - A call that breaks the contract (a gap, a term going back, a second vote
 *   in a term, an entry whose term is above the hard state's) rejects with
 *   `StorageInvariantError` and writes nothing. A failed write or fsync
 *   rejects that batch and every later call (`WalFailedError`): restart.
 */
export interface DurableLog {
  readonly recovered: RecoveredState;
  /** What opening repaired or skipped, in words, for the replica's log (e.g. a torn tail cut off). */
  readonly repairs?: readonly string[];
  save(hardState: HardState | null, entries: readonly Entry[]): Promise<void>;
  /** Saves a snapshot atomically; entries it covers may be released after. */
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  /** Waits for queued saves, then closes. Later calls reject with `WalClosedError`. */
  close(): Promise<void>;
}
