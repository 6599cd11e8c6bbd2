/**
 * The layout of a file WAL under its disk's root:
 *
 *   hardstate                               term, vote, commit (written atomically)
 *   wal/<seq 16 hex>-<first index 16 hex>.wal   segments, replayed in seq order
 *   snap/<term 16 hex>-<index 16 hex>.snap      snapshots (written atomically)
 *
 * Numbers are zero-padded lower-case hex so names sort like the numbers.
 * A segment's first index is the index the log expected next when the
 * segment was created; it is informational (an overwrite may later reach
 * back before it), never trusted in place of the records.
 */

export const WAL_DIR = 'wal';
export const SNAP_DIR = 'snap';
export const HARD_STATE_FILE = 'hardstate';

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}

const SEGMENT_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;
const SNAPSHOT_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;

/** Parses 16 hex digits; null if the number is beyond 2^53 (never written by us). */
function parseHex16(s: string): number | null {
  const n = Number.parseInt(s, 16);
  return Number.isSafeInteger(n) ? n : null;
}

export interface SegmentName {
  /** Path relative to the disk's root. */
  readonly file: string;
  readonly seq: number;
  readonly firstIndex: number;
}

export function segmentName(seq: number, firstIndex: number): SegmentName {
  return { file: `${WAL_DIR}/${hex16(seq)}-${hex16(firstIndex)}.wal`, seq, firstIndex };
}

/** A segment's name in `wal/`, or null for files that are not segments. */
export function parseSegmentName(name: string): SegmentName | null {
  const m = SEGMENT_NAME.exec(name);
  if (m === null) return null;
  const seq = parseHex16(m[1]!);
  const firstIndex = parseHex16(m[2]!);
  return seq === null || firstIndex === null ? null : { file: `${WAL_DIR}/${name}`, seq, firstIndex };
}

export interface SnapshotName {
  readonly file: string;
  readonly term: number;
  readonly index: number;
}

export function snapshotName(term: number, index: number): SnapshotName {
  return { file: `${SNAP_DIR}/${hex16(term)}-${hex16(index)}.snap`, term, index };
}

/** A snapshot's name in `snap/`, or null for other files (temp files included). */
export function parseSnapshotName(name: string): SnapshotName | null {
  const m = SNAPSHOT_NAME.exec(name);
  if (m === null) return null;
  const term = parseHex16(m[1]!);
  const index = parseHex16(m[2]!);
  return term === null || index === null ? null : { file: `${SNAP_DIR}/${name}`, term, index };
}
