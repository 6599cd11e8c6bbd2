import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WalCorruptionError } from '../../../../raft/storage/errors.js';
import {
  RECORD_HEADER_BYTES,
  RecordType,
  crcSeedRecord,
  decodePayload,
  entriesRecord,
  frameRecords,
  hardStateRecord,
  snapshotMarkerRecord,
} from '../../../../raft/storage/wal-record.js';
import { scanSegment } from '../../../../raft/storage/wal-scan.js';
import { entries, entry, hs, plain } from './helpers.js';

const FILE = 'wal/0000000000000000-0000000000000001.wal';

function segment(prevCrc = 0): { bytes: Uint8Array; crc: number } {
  return frameRecords(
    [
      crcSeedRecord(prevCrc),
      entriesRecord(entries(1, 3, 1)),
      hardStateRecord(hs(1, 'a', 2)),
      entriesRecord([{ ...entry(4, 2), type: 'conf-change', data: new Uint8Array([0, 255, 7]) }]),
      snapshotMarkerRecord(3, 1),
    ],
    prevCrc,
  );
}

describe('WAL records', () => {
  it('frame as [length u32][type u8][crc u32][payload] with the crc chained', () => {
    const { bytes } = segment();
    const view = new DataView(bytes.buffer);
    // the seed record: 4-byte payload, crc chained from the value it carries
    expect(view.getUint32(0, true)).toBe(4);
    expect(bytes[4]).toBe(RecordType.crcSeed);
    const seedCrc = crc32(bytes.subarray(9, 13), crc32(Uint8Array.of(RecordType.crcSeed), 0));
    expect(view.getUint32(5, true)).toBe(seedCrc);
    // the next record chains from the seed's crc
    const at = RECORD_HEADER_BYTES + 4;
    const len = view.getUint32(at, true);
    const payload = bytes.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + len);
    expect(view.getUint32(at + 5, true)).toBe(crc32(payload, crc32(Uint8Array.of(RecordType.entries), seedCrc)));
  });

  it('round-trip through framing, scanning and decoding', () => {
    const { bytes, crc } = segment(0xdeadbeef);
    const scan = scanSegment(bytes, FILE, false);
    expect(scan.torn).toBeNull();
    expect(scan.validBytes).toBe(bytes.byteLength);
    expect(scan.seedCrc).toBe(0xdeadbeef);
    expect(scan.records[scan.records.length - 1]!.crc).toBe(crc);
    const bodies = scan.records.map((r) => decodePayload(r.type, r.payload));
    expect(bodies.map((b) => b.type)).toEqual(['crc-seed', 'entries', 'hard-state', 'entries', 'snapshot-marker']);
    const [, first, hard, second, marker] = bodies;
    expect(first?.type === 'entries' && plain(first.entries)).toEqual(plain(entries(1, 3, 1)));
    expect(hard?.type === 'hard-state' && hard.hardState).toEqual(hs(1, 'a', 2));
    expect(second?.type === 'entries' && plain(second.entries)).toEqual([
      { index: 4, term: 2, type: 'conf-change', data: [0, 255, 7] },
    ]);
    expect(marker).toEqual({ type: 'snapshot-marker', index: 3, term: 1 });
    // decoded data is a plain Uint8Array, not a Buffer
    expect(first?.type === 'entries' && first.entries[0]!.data.constructor).toBe(Uint8Array);
  });

  it('keep large indexes and empty data exact', () => {
    const big = 2 ** 40 + 3;
    const { bytes } = frameRecords(
      [crcSeedRecord(0), entriesRecord([{ index: big, term: 2 ** 33, type: 'normal', data: new Uint8Array(0) }])],
      0,
    );
    const body = decodePayload(RecordType.entries, scanSegment(bytes, FILE, false).records[1]!.payload);
    expect(body.type === 'entries' && plain(body.entries)).toEqual([{ index: big, term: 2 ** 33, type: 'normal', data: [] }]);
  });

  it('chain: a record that is fine alone fails after an altered one', () => {
    const build = (tag: string): Uint8Array =>
      frameRecords([crcSeedRecord(0), entriesRecord(entries(1, 3, 1, tag)), hardStateRecord(hs(1, 'a', 2))], 0).bytes;
    const a = build('x');
    const b = build('y'); // same lengths, other bytes
    const secondEnd = RECORD_HEADER_BYTES * 2 + 4 + new DataView(a.buffer).getUint32(RECORD_HEADER_BYTES + 4, true);
    // b's first two records (each valid, crc and all), then a's third record,
    // whose crc was chained from a's second record
    const spliced = new Uint8Array(a.byteLength);
    spliced.set(b.subarray(0, secondEnd));
    spliced.set(a.subarray(secondEnd), secondEnd);
    expect(() => scanSegment(a, FILE, false)).not.toThrow();
    expect(() => scanSegment(spliced, FILE, false)).toThrow(WalCorruptionError);
    try {
      scanSegment(spliced, FILE, false);
    } catch (err) {
      expect(err).toMatchObject({ file: FILE, offset: secondEnd, code: 'WAL_CORRUPT' });
    }
  });

  it('a segment must start with a crc-seed record', () => {
    const { bytes } = frameRecords([entriesRecord(entries(1, 1, 1))], 0);
    expect(() => scanSegment(bytes, FILE, false)).toThrow(/does not start with a crc-seed/);
  });
});
