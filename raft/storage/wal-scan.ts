import { WalCorruptionError } from './errors.js';
import { RECORD_HEADER_BYTES, RecordType, isRecordType, recordCrc } from './wal-record.js';

/**
 * Reads the records of one segment and decides what is a torn tail and what
 * is corruption.
 *
 * A torn tail is the one damage a crash can do to a WAL that fsyncs before it
 * acknowledges: the last write, never synced, reached the disk only in part
 * (cut short, or with its end left as zeros). So a record may be given up
 * only if it is the LAST record of the LAST segment and nothing but zero
 * bytes or the end of the file follows it:
 *   - an incomplete header or record (the file ends inside it), or
 *   - a bad crc with only zeros (or nothing) after the record's end, or
 *   - an all-zero region where the next record would start.
 * Anything else that fails (a bad crc with data after it, a bad record in a
 * sealed segment, an absurd length, a misplaced seed) is corruption of data
 * that was synced and maybe acknowledged: `WalCorruptionError`.
 *
 * One more guard: a flipped bit in the length field of a middle record can
 * make that record seem to run past the end of the file, which would look
 * torn. Before calling such a record torn, the bytes after its header are
 * searched for a valid record chained from its crc; finding one proves the
 * file went on, so the record is reported as corrupt instead. (The search
 * runs only in this rare case, on the tail of the last segment.)
 */

/** Largest payload the writer ever frames; a bigger length is corruption, not a tear. */
export const MAX_RECORD_PAYLOAD_BYTES = 64 * 1024 * 1024;

export interface ScannedRecord {
  /** Byte offset of the record's header in the segment. */
  readonly offset: number;
  readonly type: RecordType;
  readonly payload: Uint8Array;
  /** The record's (verified) chained crc. */
  readonly crc: number;
}

export interface TornTail {
  readonly file: string;
  /** Where the torn record starts; the file is cut back to this length. */
  readonly offset: number;
  /** Bytes given up (from `offset` to the old end of the file). */
  readonly droppedBytes: number;
  readonly reason: string;
}

export interface SegmentScan {
  readonly records: readonly ScannedRecord[];
  /** The value the segment's crc-seed record carries, or null if the segment has no records. */
  readonly seedCrc: number | null;
  /** Bytes of whole, valid records (the file's length once a torn tail is cut). */
  readonly validBytes: number;
  readonly torn: TornTail | null;
}

function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Is there a valid non-seed record anywhere in (start, end) chained from `prevCrc`? */
function validRecordFollows(bytes: Uint8Array, view: DataView, start: number, prevCrc: number): boolean {
  const end = bytes.byteLength;
  for (let p = start; p + RECORD_HEADER_BYTES <= end; p++) {
    const type = bytes[p + 4]!;
    if (type === RecordType.crcSeed || !isRecordType(type)) continue;
    const len = view.getUint32(p, true);
    if (len > end - p - RECORD_HEADER_BYTES) continue;
    const payload = bytes.subarray(p + RECORD_HEADER_BYTES, p + RECORD_HEADER_BYTES + len);
    if (recordCrc(type, payload, prevCrc) === view.getUint32(p + 5, true)) return true;
  }
  return false;
}

/**
 * Scans `bytes` (the whole segment `file`). `isLast` allows a torn tail.
 * Throws `WalCorruptionError`; never returns a partial view of corruption.
 */
export function scanSegment(bytes: Uint8Array, file: string, isLast: boolean): SegmentScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength;
  const records: ScannedRecord[] = [];
  let seedCrc: number | null = null;
  let prevCrc = 0;
  let at = 0;

  const torn = (reason: string): SegmentScan => ({
    records,
    seedCrc,
    validBytes: at,
    torn: { file, offset: at, droppedBytes: n - at, reason },
  });
  const corrupt = (expected: number | null, found: number | null, reason: string): WalCorruptionError =>
    new WalCorruptionError(file, at, expected, found, reason);

  while (at < n) {
    if (isLast && allZero(bytes, at, n)) return torn('zero-filled tail');
    if (n - at < RECORD_HEADER_BYTES) {
      if (isLast) return torn('incomplete record header');
      throw corrupt(null, null, 'incomplete record header at the end of a sealed segment');
    }
    const len = view.getUint32(at, true);
    const type = view.getUint8(at + 4);
    const found = view.getUint32(at + 5, true);
    if (len > MAX_RECORD_PAYLOAD_BYTES) {
      throw corrupt(null, found, `record length ${len} exceeds the maximum ${MAX_RECORD_PAYLOAD_BYTES}`);
    }
    const end = at + RECORD_HEADER_BYTES + len;
    if (end > n) {
      if (!isLast) throw corrupt(null, found, `record of ${len} bytes runs past the end of a sealed segment`);
      if (validRecordFollows(bytes, view, at + RECORD_HEADER_BYTES, found)) {
        throw corrupt(null, found, `record of ${len} bytes runs past the end of the file, yet valid records follow it`);
      }
      return torn('incomplete record');
    }
    const payload = bytes.subarray(at + RECORD_HEADER_BYTES, end);
    const isSeed = type === RecordType.crcSeed && len === 4;
    const chainFrom = isSeed ? view.getUint32(at + RECORD_HEADER_BYTES, true) : prevCrc;
    const expected = recordCrc(type, payload, chainFrom);
    if (expected !== found) {
      if (isLast && allZero(bytes, end, n)) return torn('bad checksum on the last record');
      throw corrupt(expected, found, 'checksum mismatch');
    }
    if (!isRecordType(type)) throw corrupt(expected, found, `unknown record type ${type}`);
    if ((at === 0) !== (type === RecordType.crcSeed)) {
      throw corrupt(expected, found, at === 0 ? 'segment does not start with a crc-seed record' : 'crc-seed record inside a segment');
    }
    if (at === 0) {
      if (!isSeed) throw corrupt(expected, found, 'crc-seed payload is not 4 bytes');
      seedCrc = chainFrom;
    }
    records.push({ offset: at, type, payload, crc: expected });
    prevCrc = expected;
    at = end;
  }
  return { records, seedCrc, validBytes: at, torn: null };
}
