import { crc32 } from 'node:zlib';
import { Packr } from 'msgpackr';
import type { Entry, EntryType, HardState } from '../core/types.js';

/**
 * The WAL's record framing and payloads.
 *
 * A record on disk (all integers little-endian):
 *
 *   [length u32][type u8][crc u32][payload: `length` bytes]
 *
 * `crc` = crc32(type byte ++ payload) started from the previous record's crc,
 * so every record vouches for the whole chain before it (as etcd's WAL does):
 * a record that is fine on its own but sits after a lost or altered record
 * still fails. Each segment starts with a crc-seed record whose payload is
 * the previous segment's last crc (0 for the very first segment); its own crc
 * starts from that value, so the chain runs on across segments and a missing
 * or shortened segment breaks it.
 */

export const RECORD_HEADER_BYTES = 9;

export const RecordType = {
  /** Payload: the previous record's crc, u32 LE. First record of every segment. */
  crcSeed: 1,
  /** Payload: msgpack [firstIndex, [[term, type, data], ...]]; a batch of contiguous entries. */
  entries: 2,
  /** Payload: msgpack [term, vote, commit]; the hard state when it changed (recovery reads only commit from it). */
  hardState: 3,
  /** Payload: msgpack [index, term]; a snapshot file was written durably before this record. */
  snapshotMarker: 4,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export function isRecordType(type: number): type is RecordType {
  return type >= RecordType.crcSeed && type <= RecordType.snapshotMarker;
}

/** The chained checksum of one record: crc32(type ++ payload) from `prevCrc`. */
export function recordCrc(type: number, payload: Uint8Array, prevCrc: number): number {
  return crc32(payload, crc32(Uint8Array.of(type), prevCrc));
}

/** A record about to be written (payload encoded, crc not yet chained). */
export interface PendingRecord {
  readonly type: RecordType;
  readonly payload: Uint8Array;
}

/**
 * Frames records into one buffer, chaining crcs from `prevCrc`. Returns the
 * bytes and the crc of the last record (the next chain start).
 */
export function frameRecords(records: readonly PendingRecord[], prevCrc: number): { bytes: Uint8Array; crc: number } {
  let total = 0;
  for (const r of records) total += RECORD_HEADER_BYTES + r.payload.byteLength;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let crc = prevCrc;
  let at = 0;
  for (const r of records) {
    // A seed record's chain starts from the value it carries.
    if (r.type === RecordType.crcSeed) crc = decodeCrcSeed(r.payload);
    crc = recordCrc(r.type, r.payload, crc);
    view.setUint32(at, r.payload.byteLength, true);
    view.setUint8(at + 4, r.type);
    view.setUint32(at + 5, crc, true);
    bytes.set(r.payload, at + RECORD_HEADER_BYTES);
    at += RECORD_HEADER_BYTES + r.payload.byteLength;
  }
  return { bytes, crc };
}

// ---- payloads -------------------------------------------------------------

const packr = new Packr({ useRecords: false, copyBuffers: true, moreTypes: false });

/** Decoded payloads; `decodePayload` throws (a plain Error) on malformed bytes. */
export type RecordBody =
  | { readonly type: 'crc-seed'; readonly crc: number }
  | { readonly type: 'entries'; readonly entries: readonly Entry[] }
  | { readonly type: 'hard-state'; readonly hardState: HardState }
  | { readonly type: 'snapshot-marker'; readonly index: number; readonly term: number };

const ENTRY_TYPE_CODES: Record<EntryType, number> = { normal: 0, 'conf-change': 1 };
const ENTRY_TYPES: readonly EntryType[] = ['normal', 'conf-change'];

export function crcSeedRecord(prevCrc: number): PendingRecord {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, prevCrc >>> 0, true);
  return { type: RecordType.crcSeed, payload };
}

function decodeCrcSeed(payload: Uint8Array): number {
  if (payload.byteLength !== 4) throw new Error(`crc-seed payload must be 4 bytes, is ${payload.byteLength}`);
  return new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true);
}

/** `entries` must be contiguous and non-empty (the caller validated them). */
export function entriesRecord(entries: readonly Entry[]): PendingRecord {
  const first = entries[0];
  if (first === undefined) throw new Error('entriesRecord: no entries');
  const rows = entries.map((e) => [e.term, ENTRY_TYPE_CODES[e.type], e.data]);
  return { type: RecordType.entries, payload: packr.pack([first.index, rows]) };
}

export function hardStateRecord(hs: HardState): PendingRecord {
  return { type: RecordType.hardState, payload: packr.pack([hs.term, hs.vote, hs.commit]) };
}

export function snapshotMarkerRecord(index: number, term: number): PendingRecord {
  return { type: RecordType.snapshotMarker, payload: packr.pack([index, term]) };
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** A plain Uint8Array view (msgpackr hands back Buffers). */
function asBytes(v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new Error('entry data is not bytes');
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function unpackArray(payload: Uint8Array, what: string, length: number): unknown[] {
  const v: unknown = packr.unpack(payload);
  if (!Array.isArray(v) || v.length !== length) throw new Error(`${what} payload is not an array of ${length}`);
  return v as unknown[];
}

export function decodePayload(type: RecordType, payload: Uint8Array): RecordBody {
  switch (type) {
    case RecordType.crcSeed:
      return { type: 'crc-seed', crc: decodeCrcSeed(payload) };
    case RecordType.entries: {
      const [firstIndex, rows] = unpackArray(payload, 'entries', 2);
      if (!isIndex(firstIndex) || firstIndex < 1 || !Array.isArray(rows) || rows.length === 0) {
        throw new Error('malformed entries payload');
      }
      const entries = (rows as unknown[]).map((row, i): Entry => {
        if (!Array.isArray(row) || row.length !== 3) throw new Error('malformed entry row');
        const [term, code, data] = row as unknown[];
        const entryType = typeof code === 'number' ? ENTRY_TYPES[code] : undefined;
        if (!isIndex(term) || entryType === undefined) throw new Error('malformed entry row');
        return { term, index: firstIndex + i, type: entryType, data: asBytes(data) };
      });
      return { type: 'entries', entries };
    }
    case RecordType.hardState: {
      const [term, vote, commit] = unpackArray(payload, 'hard-state', 3);
      if (!isIndex(term) || typeof vote !== 'string' || !isIndex(commit)) throw new Error('malformed hard state');
      return { type: 'hard-state', hardState: { term, vote, commit } };
    }
    case RecordType.snapshotMarker: {
      const [index, term] = unpackArray(payload, 'snapshot-marker', 2);
      if (!isIndex(index) || !isIndex(term)) throw new Error('malformed snapshot marker');
      return { type: 'snapshot-marker', index, term };
    }
  }
}
