import { EMPTY_HARD_STATE, type Entry, type HardState, type Snapshot } from '../core/types.js';
import type { DurableLog, RecoveredState } from './durable-log.js';
import { EntryRun } from './entry-run.js';
import { WalClosedError } from './errors.js';
import { checkSave, checkSnapshot, positionAfterSave, positionAfterSnapshot, type LogPosition } from './log-contract.js';

/**
 * A DurableLog kept in memory: for tests, and for replicas that need no
 * durability. It follows the same contract as the file WAL (same checks,
 * same overwrite and snapshot rules, saves resolve in call order), so a
 * replica cannot tell the two apart except by surviving a process crash.
 *
 * To simulate a restart with a perfect disk, open a new log on what the old
 * one holds: `new MemoryLog(old.current())`.
 *
 * Entries and snapshot data are kept by reference, never copied: callers
 * must not mutate what they saved.
 */
export class MemoryLog implements DurableLog {
  readonly recovered: RecoveredState;
  private hardState: HardState;
  private snapshot: Snapshot | null;
  private run: EntryRun;
  private pos: LogPosition;
  private closed = false;

  constructor(initial?: RecoveredState) {
    this.recovered = initial ?? { snapshot: null, hardState: EMPTY_HARD_STATE, entries: [] };
    this.hardState = this.recovered.hardState;
    this.snapshot = this.recovered.snapshot;
    const meta = this.snapshot?.meta;
    this.run = new EntryRun(meta?.index ?? 0, meta?.term ?? 0);
    const gap = this.run.append(this.recovered.entries);
    if (gap !== null) throw new RangeError(`MemoryLog: initial entries leave a gap at index ${gap}`);
    this.pos = { hardState: this.hardState, lastIndex: this.run.lastIndex, snapshotIndex: meta?.index ?? 0 };
  }

  save(hardState: HardState | null, entries: readonly Entry[]): Promise<void> {
    try {
      if (this.closed) throw new WalClosedError();
      checkSave(this.pos, hardState, entries);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.pos = positionAfterSave(this.pos, hardState, entries);
    if (hardState !== null) this.hardState = hardState;
    // checkSave ruled out a gap, so append cannot refuse.
    this.run.append(entries);
    return Promise.resolve();
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    try {
      if (this.closed) throw new WalClosedError();
      if (!checkSnapshot(this.pos, snapshot)) return Promise.resolve();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const { index, term } = snapshot.meta;
    // Raft's rule: a log that holds the snapshot's entry keeps what follows
    // it (local compaction); otherwise the snapshot replaces the log.
    if (this.run.termAt(index) === term) this.run.compact(index, term);
    else this.run.reset(index, term);
    this.snapshot = snapshot;
    // This log knows terms, so its last index is exact (the shared rule is lenient).
    this.pos = { ...positionAfterSnapshot(this.pos, snapshot), lastIndex: this.run.lastIndex };
    return Promise.resolve();
  }

  /** What a restart would recover now. */
  current(): RecoveredState {
    const snapIndex = this.snapshot?.meta.index ?? 0;
    const commit = Math.min(Math.max(this.hardState.commit, snapIndex), this.run.lastIndex);
    return {
      snapshot: this.snapshot,
      hardState: { ...this.hardState, commit },
      entries: this.run.entries.slice(),
    };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
