import type { HardState, Snapshot } from '../core/types.js';
import type { Disk } from './disk.js';
import type { RecoveredState } from './durable-log.js';
import { EntryRun } from './entry-run.js';
import { WalCorruptionError, WalGapError } from './errors.js';
import { SNAP_DIR, WAL_DIR, parseSegmentName, type SegmentName } from './file-names.js';
import { decodePayload, type RecordBody } from './wal-record.js';
import { scanSegment, type TornTail } from './wal-scan.js';

/**
 * Open-time recovery of the WAL: read every segment in order, check the crc
 * chain within and across segments, cut a torn tail, and rebuild the log the
 * records describe. Then `settle` joins it with the chosen snapshot and the
 * hard state file into what the replica recovers.
 *
 * Replay rules, record by record:
 * - entries [s..e]: replace whatever the log held from s on (overwrite),
 *   even when s is before the first entry replay has seen; a start beyond
 *   the log's end is a gap (WalGapError);
 * - snapshot marker (X, T): Raft's snapshot rule. If the log holds entry X
 *   with term T it is kept whole (local compaction; entries up to X stay in
 *   the replay so that an older snapshot could still be used); otherwise the
 *   snapshot replaced the log, which restarts empty after X. A marker before
 *   the first entries record changes nothing (segments before it may have
 *   been released, so the log it saw is unknown);
 * - hard state: only its commit is used (term and vote come from the
 *   hardstate file, which is always written before the WAL records of the
 *   same batch).
 */

/** A segment as the writer tracks it. */
export interface SegmentState {
  readonly name: SegmentName;
  /** The highest entry index recorded in the segment, 0 if none (release needs it). */
  maxIndex: number;
}

export interface WalReplay {
  /** Segments in order, the torn tail (if any) already cut from the last. */
  readonly segments: SegmentState[];
  /** The crc to chain the next record from. */
  readonly endCrc: number;
  /** The log the records describe; null if they hold no entries and no marker. */
  readonly run: EntryRun | null;
  /** The highest commit index recorded. */
  readonly commit: number;
  readonly tornTail: TornTail | null;
  readonly records: number;
}

function applyRecord(state: { run: EntryRun | null; commit: number }, body: RecordBody, seg: SegmentState): void {
  switch (body.type) {
    case 'crc-seed':
      return;
    case 'hard-state':
      state.commit = Math.max(state.commit, body.hardState.commit);
      return;
    case 'snapshot-marker': {
      // Before any entries record the log is unknown (its start may be in
      // released segments): nothing to replace. The next entries record
      // starts the run, right after the snapshot if the snapshot replaced it.
      const { index, term } = body;
      if (state.run !== null && index > state.run.offset && state.run.termAt(index) !== term) state.run.reset(index, term);
      return;
    }
    case 'entries': {
      const first = body.entries[0]!;
      const last = body.entries[body.entries.length - 1]!;
      // Before the run's start means the replay began in the middle of the
      // log (earlier segments released): an overwrite reaching back there
      // replaces everything the run holds.
      if (state.run === null || first.index <= state.run.offset) state.run = new EntryRun(first.index - 1);
      const gap = state.run.append(body.entries);
      if (gap !== null) throw new WalGapError(seg.name.file, gap, first.index);
      seg.maxIndex = Math.max(seg.maxIndex, last.index);
      return;
    }
  }
}

/** Replays `wal/`; cuts a torn tail (durably) before it returns. */
export async function replayWal(disk: Disk): Promise<WalReplay> {
  const names = (await disk.list(WAL_DIR))
    .map(parseSegmentName)
    .filter((n): n is SegmentName => n !== null)
    .sort((a, b) => a.seq - b.seq);
  const segments: SegmentState[] = [];
  const state: { run: EntryRun | null; commit: number } = { run: null, commit: 0 };
  let endCrc = 0;
  let sawRecords = false;
  let tornTail: TornTail | null = null;
  let records = 0;

  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const isLast = i === names.length - 1;
    const bytes = (await disk.read(name.file)) ?? new Uint8Array(0);
    const scan = scanSegment(bytes, name.file, isLast);
    if (scan.seedCrc !== null && sawRecords && scan.seedCrc !== endCrc) {
      const prev = names[i - 1]!;
      const missing = prev.seq + 1 === name.seq ? '' : ` (segments ${prev.seq + 1}..${name.seq - 1} are missing)`;
      throw new WalCorruptionError(
        name.file,
        0,
        endCrc,
        scan.seedCrc,
        `crc chain broken: the segment does not continue ${prev.file}${missing}`,
      );
    }
    const seg: SegmentState = { name, maxIndex: 0 };
    for (const r of scan.records) {
      let body: RecordBody;
      try {
        body = decodePayload(r.type, r.payload);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new WalCorruptionError(name.file, r.offset, r.crc, r.crc, `undecodable payload: ${why}`, { cause: err });
      }
      applyRecord(state, body, seg);
      endCrc = r.crc;
      sawRecords = true;
      records++;
    }
    if (scan.torn !== null) {
      tornTail = scan.torn;
      await disk.truncate(name.file, scan.validBytes);
    }
    segments.push(seg);
  }
  return { segments, endCrc, run: state.run, commit: state.commit, tornTail, records };
}

/**
 * Joins the replayed log with the snapshot chosen from `snap/` and the
 * hardstate file. Throws WalGapError when the log does not continue from the
 * snapshot (lost segments, or a lost snapshot the WAL relied on).
 *
 * `replaced` is true when the snapshot replaced a log the WAL does not know
 * it replaced (its marker never reached the WAL): the caller must record the
 * marker before appending, or the next replay would read new entries as the
 * continuation of the stale log.
 */
export function settle(
  replay: WalReplay,
  snapshot: Snapshot | null,
  hardState: HardState,
): { recovered: RecoveredState; replaced: boolean } {
  const snapIndex = snapshot?.meta.index ?? 0;
  const snapTerm = snapshot?.meta.term ?? 0;
  const run = replay.run;
  let entries = run?.entries ?? [];
  let replaced = false;
  if (run !== null) {
    if (run.offset > snapIndex) {
      throw new WalGapError(snapshot === null ? WAL_DIR : SNAP_DIR, snapIndex + 1, run.offset + 1);
    }
    if (run.offset < snapIndex) {
      if (run.termAt(snapIndex) === snapTerm) {
        run.compact(snapIndex, snapTerm);
        entries = run.entries;
      } else {
        // The snapshot replaced a log it does not match (its marker did not
        // reach the WAL before a crash).
        entries = [];
        replaced = true;
      }
    }
  }
  const lastIndex = snapIndex + entries.length;
  const commit = Math.min(Math.max(hardState.commit, replay.commit, snapIndex), lastIndex);
  return { recovered: { snapshot, hardState: { term: hardState.term, vote: hardState.vote, commit }, entries }, replaced };
}
