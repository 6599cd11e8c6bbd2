import { open, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalCorruptionError } from '../../../../raft/storage/errors.js';
import { FileWal } from '../../../../raft/storage/file-wal.js';
import { NodeDisk } from '../../../../raft/storage/node-disk.js';
import { RECORD_HEADER_BYTES, RecordType, recordCrc } from '../../../../raft/storage/wal-record.js';
import { entries, hs, makeTempDir, plain, removeTempDir } from './helpers.js';

// Recovery on real files: the WAL written by NodeDisk into a temp directory,
// then damaged with plain node:fs the way a crash or bad medium would.

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

/** Writes 10 saves of 5 entries each (one record of entries per save, then a commit record). */
async function writeLog(options: { segmentBytesMax?: number } = {}): Promise<string[]> {
  const wal = await FileWal.open(new NodeDisk(dir), options);
  await wal.save(hs(1, 'a'), []);
  for (let i = 1; i <= 50; i += 5) await wal.save(hs(1, 'a', i), entries(i, i + 4, 1));
  const files = wal.segmentFiles;
  await wal.close();
  return files;
}

/** Record offsets of a segment file (walking the framing). */
async function recordOffsets(file: string): Promise<number[]> {
  const bytes = await readFile(join(dir, file));
  const out: number[] = [];
  for (let at = 0; at < bytes.byteLength; at += RECORD_HEADER_BYTES + bytes.readUInt32LE(at)) out.push(at);
  return out;
}

async function flipBit(file: string, offset: number, bit = 0): Promise<void> {
  const fh = await open(join(dir, file), 'r+');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, offset);
    b[0]! ^= 1 << bit;
    await fh.write(b, 0, 1, offset);
  } finally {
    await fh.close();
  }
}

describe('NodeDisk', () => {
  it('lists, reads, writes atomically, truncates and removes under its root', async () => {
    const disk = new NodeDisk(dir);
    expect(await disk.list('nope')).toEqual([]);
    expect(await disk.read('nope')).toBeNull();
    await disk.mkdirp('a/b');
    await disk.writeAtomic('a/b/f', new Uint8Array([1, 2, 3]));
    await disk.writeAtomic('a/b/f', new Uint8Array([4, 5]));
    expect([...(await disk.read('a/b/f'))!]).toEqual([4, 5]);
    expect(await readdir(join(dir, 'a/b'))).toEqual(['f']); // no temp file left
    const f = await disk.openAppend('a/b/g');
    await f.append(new Uint8Array([9, 9, 9]));
    await f.sync();
    expect(f.size).toBe(3);
    await f.close();
    expect(await disk.list('a/b')).toEqual(['f', 'g']);
    expect(await disk.list('a')).toEqual([]); // files only
    await disk.truncate('a/b/g', 1);
    expect((await stat(join(dir, 'a/b/g'))).size).toBe(1);
    await disk.remove('a/b/g');
    await disk.remove('a/b/g'); // no error when already gone
    expect(await disk.list('a/b')).toEqual(['f']);
  });
});

describe('WAL recovery on real files', () => {
  it('cuts a torn tail: earlier records intact, the partial record gone', async () => {
    const [file] = await writeLog();
    const path = join(dir, file!);
    const size = (await stat(path)).size;
    const offsets = await recordOffsets(file!);
    const lastEntries = offsets[offsets.length - 2]!; // the last save: entries 46..50, then its commit record
    await truncate(path, lastEntries + 20); // chop into the last entries record
    const wal = await FileWal.open(new NodeDisk(dir));
    expect(wal.recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(plain(wal.recovered.entries)).toEqual(plain(entries(1, 45, 1)));
    expect(wal.recovery.tornTail).toEqual({
      file,
      offset: lastEntries,
      droppedBytes: 20,
      reason: 'incomplete record',
    });
    expect((await stat(path)).size).toBe(lastEntries); // cut on disk
    expect(size).toBeGreaterThan(lastEntries);
    // the log goes on after the cut, and reopens clean
    await wal.save(hs(1, 'a', 45), entries(46, 47, 1, 'again'));
    await wal.close();
    const again = await FileWal.open(new NodeDisk(dir));
    expect(again.recovery.tornTail).toBeNull();
    expect(again.recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 47 }, (_, i) => i + 1));
  });

  it('cuts a zero-filled tail and a last record with a bad crc followed only by zeros', async () => {
    const [file] = await writeLog();
    const path = join(dir, file!);
    const offsets = await recordOffsets(file!);
    const last = offsets[offsets.length - 1]!; // the commit record of the last save
    const bytes = await readFile(path);
    bytes.fill(0, last + 12); // the record's end zeroed (a torn write left as zeros)
    await writeFile(path, Buffer.concat([bytes, Buffer.alloc(100)])); // and zeros after it
    const wal = await FileWal.open(new NodeDisk(dir));
    expect(wal.recovery.tornTail).toMatchObject({ file, offset: last, reason: 'bad checksum on the last record' });
    expect(wal.recovered.entries).toHaveLength(50);
  });

  it('stops on a flipped bit in the middle of a segment, naming file, offset and both checksums', async () => {
    const [file] = await writeLog();
    const offsets = await recordOffsets(file!);
    // seed, hard state, then (entries, commit) per save: [4] is the entries of the second save
    const victim = offsets[4]!;
    const before = await readFile(join(dir, file!));
    expect(before[victim + 4]).toBe(RecordType.entries);
    await flipBit(file!, victim + RECORD_HEADER_BYTES + 5, 2);
    const err = await FileWal.open(new NodeDisk(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalCorruptionError);
    const bytes = await readFile(join(dir, file!));
    const len = bytes.readUInt32LE(victim);
    const prevCrc = bytes.readUInt32LE(offsets[3]! + 5);
    const expected = recordCrc(bytes[victim + 4]!, bytes.subarray(victim + 9, victim + 9 + len), prevCrc);
    expect(err).toMatchObject({
      code: 'WAL_CORRUPT',
      file,
      offset: victim,
      expectedCrc: expected,
      foundCrc: bytes.readUInt32LE(victim + 5),
    });
    expect((err as Error).message).toContain(`${file} at byte ${victim}`);
    // nothing was cut
    expect((await stat(join(dir, file!))).size).toBe(bytes.byteLength);
  });

  it('stops on a flipped bit in a sealed segment even at its last record', async () => {
    const files = await writeLog({ segmentBytesMax: 200 });
    expect(files.length).toBeGreaterThan(2);
    const sealed = files[0]!;
    const offsets = await recordOffsets(sealed);
    await flipBit(sealed, offsets[offsets.length - 1]! + RECORD_HEADER_BYTES, 0);
    await expect(FileWal.open(new NodeDisk(dir))).rejects.toMatchObject({ code: 'WAL_CORRUPT', file: sealed });
  });

  it('does not mistake a corrupt length field for a torn tail', async () => {
    const [file] = await writeLog();
    const offsets = await recordOffsets(file!);
    // the third byte of a middle record's length (+64 KiB): it now runs past the end of the file
    await flipBit(file!, offsets[4]! + 2, 0);
    const err = await FileWal.open(new NodeDisk(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalCorruptionError);
    expect(err).toMatchObject({ file, offset: offsets[4] });
    expect((err as Error).message).toMatch(/runs past the end of the file, yet valid records follow/);
  });
});
