import type { Entry, HardState, Snapshot } from '../core/types.js';
import { StorageInvariantError } from './errors.js';

/**
 * The checks every DurableLog makes before it persists anything, so a caller's
 * bug stops at the boundary instead of reaching the disk (and the memory log
 * and the file WAL agree on what they accept).
 */

/** What a log has accepted so far (queued saves included). */
export interface LogPosition {
  readonly hardState: HardState;
  readonly lastIndex: number;
  readonly snapshotIndex: number;
}

function fail(reason: string): never {
  throw new StorageInvariantError(reason);
}

function isIndex(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * Checks one `save(hardState, entries)`:
 * - entries are contiguous, with indexes >= 1 and terms that never go down;
 * - they start at most one past the last index (no gap);
 * - the term never goes back, and a replica never changes its vote within a
 *   term (a second vote could elect two leaders);
 * - no entry has a term above the hard state's term (Raft's currentTerm is
 *   at least the last log term; a caller persists its new term with or
 *   before entries of that term).
 * Entries at or below the snapshot index are allowed and ignored (the
 * snapshot covers them).
 */
export function checkSave(pos: LogPosition, hs: HardState | null, entries: readonly Entry[]): void {
  if (hs !== null) {
    if (!isIndex(hs.term) || !isIndex(hs.commit) || typeof hs.vote !== 'string') {
      fail(`malformed hard state ${JSON.stringify(hs)}`);
    }
    const prev = pos.hardState;
    if (hs.term < prev.term) fail(`term goes back from ${prev.term} to ${hs.term}`);
    if (hs.term === prev.term && prev.vote !== '' && hs.vote !== prev.vote) {
      fail(`vote changes within term ${hs.term} from ${JSON.stringify(prev.vote)} to ${JSON.stringify(hs.vote)}`);
    }
  }
  const first = entries[0];
  if (first === undefined) return;
  const term = hs?.term ?? pos.hardState.term;
  let prevTerm = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!isIndex(e.index) || e.index < 1 || e.index !== first.index + i) {
      fail(`entries are not contiguous: entry ${i} has index ${e.index}, expected ${first.index + i}`);
    }
    if (!isIndex(e.term) || e.term < prevTerm) fail(`entry ${e.index} has term ${e.term} after term ${prevTerm}`);
    if (e.term > term) fail(`entry ${e.index} has term ${e.term} above the hard state's term ${term}`);
    if (e.type !== 'normal' && e.type !== 'conf-change') fail(`entry ${e.index} has unknown type ${String(e.type)}`);
    if (!(e.data instanceof Uint8Array)) fail(`entry ${e.index} data is not a Uint8Array`);
    prevTerm = e.term;
  }
  if (first.index > pos.lastIndex + 1) {
    fail(`entries start at ${first.index}, leaving a gap after the last index ${pos.lastIndex}`);
  }
}

/** Checks a snapshot; returns false if it is not newer than the one saved (then saving it is a no-op). */
export function checkSnapshot(pos: LogPosition, snapshot: Snapshot): boolean {
  const { index, term, conf } = snapshot.meta;
  if (!isIndex(index) || index < 1 || !isIndex(term) || term < 1) fail(`snapshot has index ${index} and term ${term}`);
  if (!Array.isArray(conf.voters) || !Array.isArray(conf.learners)) fail('snapshot conf is malformed');
  if (!(snapshot.data instanceof Uint8Array)) fail('snapshot data is not a Uint8Array');
  return index > pos.snapshotIndex;
}

/** The position after a save the checks accepted. */
export function positionAfterSave(pos: LogPosition, hs: HardState | null, entries: readonly Entry[]): LogPosition {
  const last = entries[entries.length - 1];
  return {
    hardState: hs ?? pos.hardState,
    lastIndex: last === undefined || last.index <= pos.snapshotIndex ? pos.lastIndex : last.index,
    snapshotIndex: pos.snapshotIndex,
  };
}

/**
 * The position after a snapshot. If the log does not hold the snapshot's
 * entry the snapshot replaces the log, whose last index becomes the
 * snapshot's; a log that goes further keeps its last index (callers that
 * cannot tell terms apart stay lenient here, never wrong: the next save
 * overwrites from its first index).
 */
export function positionAfterSnapshot(pos: LogPosition, snapshot: Snapshot): LogPosition {
  return {
    hardState: pos.hardState,
    lastIndex: Math.max(pos.lastIndex, snapshot.meta.index),
    snapshotIndex: snapshot.meta.index,
  };
}
