import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../actors/world/random.js';
import { StorageCorruptionError, WalCorruptionError, WalFailedError, WalGapError } from '../../../../raft/storage/errors.js';
import { FileWal } from '../../../../raft/storage/file-wal.js';
import { parseSegmentName } from '../../../../raft/storage/file-names.js';
import { SimDisk } from '../../../../raft/storage/sim-disk.js';
import { CountingDisk, entries, hs, snapshot, ticks } from './helpers.js';

const NO_UNSYNCED = { keepUnsyncedProbability: 0, tornWriteProbability: 0 };

describe('FileWal group commit', () => {
  it('writes saves made together with one append and one fsync, resolving them in order', async () => {
    const disk = new CountingDisk(new SimDisk());
    const wal = await FileWal.open(disk);
    await wal.save(hs(1, 'a'), []);
    disk.syncs = 0;
    disk.appends = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 100 }, (_, i) => wal.save(null, entries(i + 1, i + 1, 1)).then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(disk.syncs).toBe(1);
    expect(disk.appends).toBe(1);
  });

  it('queues saves that arrive while an fsync is in flight and writes them as the next batch', async () => {
    const disk = new CountingDisk(new SimDisk());
    const wal = await FileWal.open(disk);
    await wal.save(hs(1, 'a'), []);
    disk.syncs = 0;
    disk.holdSyncs();
    let firstDone = false;
    const first = wal.save(null, entries(1, 1, 1)).then(() => (firstDone = true));
    await ticks(50);
    expect(disk.syncs).toBe(1); // in flight, held
    const order: number[] = [];
    const rest = Array.from({ length: 50 }, (_, i) => wal.save(null, entries(i + 2, i + 2, 1)).then(() => order.push(i)));
    await ticks(50);
    expect(firstDone).toBe(false); // a save never resolves before its fsync
    expect(disk.syncs).toBe(1);
    disk.release();
    await first;
    await Promise.all(rest);
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(disk.syncs).toBe(2); // 51 saves, 2 fsyncs
    await wal.close();
    const reopened = await FileWal.open(disk);
    expect(reopened.recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  });

  it('fails the batch and everything after when the disk fails', async () => {
    const sim = new SimDisk();
    const disk = new CountingDisk(sim);
    const wal = await FileWal.open(disk);
    await wal.save(hs(1), entries(1, 1, 1));
    sim.crash(new SeededRandom(1)); // the WAL's process died with its disk
    const a = wal.save(null, entries(2, 2, 1));
    const b = wal.save(null, entries(3, 3, 1));
    await expect(a).rejects.toBeInstanceOf(WalFailedError);
    await expect(b).rejects.toBeInstanceOf(WalFailedError);
    await expect(wal.save(null, entries(2, 2, 1))).rejects.toBeInstanceOf(WalFailedError);
  });
});

describe('FileWal segments', () => {
  it('rolls to a new segment past the size limit and replays across segments', async () => {
    const disk = new SimDisk();
    let wal = await FileWal.open(disk, { segmentBytesMax: 128 });
    await wal.save(hs(1, 'a'), []);
    for (let i = 1; i <= 60; i += 3) await wal.save(hs(1, 'a', i), entries(i, i + 2, 1));
    const files = wal.segmentFiles;
    expect(files.length).toBeGreaterThan(4);
    const names = files.map((f) => parseSegmentName(f.slice('wal/'.length))!);
    expect(names.map((n) => n.seq)).toEqual(names.map((_, i) => i));
    // each segment is named for the index the log expected next when it was created
    expect(names[0]!.firstIndex).toBe(1);
    for (const n of names.slice(1)) expect((n.firstIndex - 1) % 3).toBe(0);
    await wal.close();
    wal = await FileWal.open(disk, { segmentBytesMax: 128 });
    expect(wal.recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(wal.recovery.segments).toBe(files.length);
    // an overwrite reaching back across a segment boundary replays right
    await wal.save(hs(2, 'b', 40), entries(41, 42, 2));
    await wal.close();
    wal = await FileWal.open(disk, { segmentBytesMax: 128 });
    expect(wal.recovered.entries.map((e) => e.term)).toEqual([...Array<number>(40).fill(1), 2, 2]);
  });

  it('names the break in the crc chain when a middle segment is missing', async () => {
    const disk = new SimDisk();
    const wal = await FileWal.open(disk, { segmentBytesMax: 128 });
    await wal.save(hs(1), []);
    for (let i = 1; i <= 30; i++) await wal.save(null, entries(i, i, 1));
    const files = wal.segmentFiles;
    await wal.close();
    await disk.remove(files[2]!);
    const err = await FileWal.open(disk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalCorruptionError);
    expect(err).toMatchObject({ file: files[3], offset: 0 });
    expect((err as Error).message).toMatch(/crc chain broken.*missing/);
  });
});

describe('FileWal large batches', () => {
  it('frames a batch of many megabytes as several records and replays it whole', async () => {
    const disk = new SimDisk();
    const wal = await FileWal.open(disk);
    const big = Array.from({ length: 12 }, (_, i) => ({
      index: i + 1,
      term: 1,
      type: 'normal' as const,
      data: new Uint8Array(300 * 1024).fill(i + 1),
    }));
    await wal.save(hs(1), big);
    await wal.close();
    const reopened = await FileWal.open(disk);
    expect(reopened.recovery.records).toBeGreaterThan(4); // seed, hard state, and ~1 MiB entries records
    expect(reopened.recovered.entries.map((e) => [e.index, e.data.byteLength, e.data[0]])).toEqual(
      big.map((e) => [e.index, e.data.byteLength, e.data[0]]),
    );
  });
});

describe('FileWal hard state', () => {
  it('writes a term or vote change atomically to hardstate, a commit change only to the WAL', async () => {
    const disk = new CountingDisk(new SimDisk());
    const wal = await FileWal.open(disk);
    await wal.save(hs(1, 'a', 0), entries(1, 3, 1));
    expect(disk.atomicWrites).toEqual(['hardstate']);
    const syncs = disk.syncs;
    await wal.save(hs(1, 'a', 2), []);
    expect(disk.atomicWrites).toEqual(['hardstate']); // no file write for commit alone
    expect(disk.syncs).toBe(syncs + 1); // one fsync, shared with the batch
    await wal.save(hs(2, '', 2), []);
    expect(disk.atomicWrites).toEqual(['hardstate', 'hardstate']);
    await wal.close();
    const reopened = await FileWal.open(disk);
    expect(reopened.recovered.hardState).toEqual(hs(2, '', 2));
  });

  it('has term and vote durable when save resolves (a crash loses nothing of them)', async () => {
    const disk = new SimDisk(NO_UNSYNCED);
    const wal = await FileWal.open(disk);
    await wal.save(hs(7, 'c'), []);
    const reopened = await FileWal.open(disk.crash(new SeededRandom(3)));
    expect(reopened.recovered.hardState).toMatchObject({ term: 7, vote: 'c' });
  });

  it('stops on a corrupt hardstate file rather than forget a vote', async () => {
    const disk = new SimDisk();
    const wal = await FileWal.open(disk);
    await wal.save(hs(4, 'b'), []);
    await wal.close();
    disk.flipBit('hardstate', 6, 3);
    await expect(FileWal.open(disk)).rejects.toBeInstanceOf(StorageCorruptionError);
  });
});

describe('FileWal snapshots', () => {
  async function logWithSnapshots(
    retained: number,
  ): Promise<{ disk: SimDisk; wal: FileWal; segmentsBefore: number }> {
    const disk = new SimDisk();
    const wal = await FileWal.open(disk, { segmentBytesMax: 200, snapshotsRetained: retained });
    await wal.save(hs(1, 'a'), []);
    for (let i = 1; i <= 100; i += 5) await wal.save(hs(1, 'a', i + 4), entries(i, i + 4, 1));
    return { disk, wal, segmentsBefore: wal.segmentFiles.length };
  }

  it('saves snapshot files atomically, named by term and index, and loads the newest', async () => {
    const disk = new CountingDisk(new SimDisk());
    let wal = await FileWal.open(disk);
    await wal.save(hs(3, 'a', 10), entries(1, 10, 3));
    await wal.saveSnapshot(snapshot(8, 3));
    expect(disk.atomicWrites).toContain('snap/0000000000000003-0000000000000008.snap');
    await wal.close();
    wal = await FileWal.open(disk);
    expect(wal.recovered.snapshot).toEqual({
      meta: { index: 8, term: 3, conf: { voters: ['a', 'b', 'c'], learners: [] } },
      data: new TextEncoder().encode('state@8'),
    });
    expect(wal.recovered.entries.map((e) => e.index)).toEqual([9, 10]);
  });

  it('releases whole segments up to the oldest kept snapshot and keeps the last two snapshots', async () => {
    const { disk, wal, segmentsBefore } = await logWithSnapshots(2);
    await wal.saveSnapshot(snapshot(50, 1));
    const afterFirst = wal.segmentFiles.length;
    expect(afterFirst).toBeLessThan(segmentsBefore);
    await wal.saveSnapshot(snapshot(90, 1));
    expect(wal.segmentFiles.length).toBe(afterFirst); // still bound by snapshot 50
    await wal.saveSnapshot(snapshot(95, 1));
    expect(wal.segmentFiles.length).toBeLessThan(afterFirst);
    expect(await disk.list('snap')).toEqual([
      '0000000000000001-000000000000005a.snap',
      '0000000000000001-000000000000005f.snap',
    ]);
    await wal.close();
    const reopened = await FileWal.open(disk);
    expect(reopened.recovered.snapshot?.meta.index).toBe(95);
    expect(reopened.recovered.entries.map((e) => e.index)).toEqual([96, 97, 98, 99, 100]);
  });

  it('falls back to the older snapshot when the newest fails its checksum', async () => {
    const { disk, wal } = await logWithSnapshots(2);
    await wal.saveSnapshot(snapshot(90, 1));
    await wal.saveSnapshot(snapshot(95, 1));
    await wal.close();
    const newest = 'snap/0000000000000001-000000000000005f.snap';
    disk.flipBit(newest, 10);
    const reopened = await FileWal.open(disk);
    expect(reopened.recovered.snapshot?.meta.index).toBe(90);
    expect(reopened.recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 10 }, (_, i) => 91 + i));
    expect(reopened.recovery.invalidSnapshots).toEqual([{ file: newest, reason: expect.stringMatching(/checksum/) }]);
    expect(await disk.list('snap')).toEqual(['0000000000000001-000000000000005a.snap']);
  });

  it('refuses to open when the only usable snapshot is older than what the WAL still holds', async () => {
    const { disk, wal } = await logWithSnapshots(1);
    await wal.saveSnapshot(snapshot(50, 1));
    await wal.saveSnapshot(snapshot(90, 1));
    await wal.close();
    disk.flipBit('snap/0000000000000001-000000000000005a.snap', 10);
    const err = await FileWal.open(disk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalGapError);
    // nothing was deleted on the way to the error
    expect(await disk.list('snap')).toEqual(['0000000000000001-000000000000005a.snap']);
  });

  it('uses a snapshot whose marker never reached the WAL', async () => {
    const disk = new SimDisk(NO_UNSYNCED);
    const wal = await FileWal.open(disk);
    await wal.save(hs(1, 'a', 10), entries(1, 10, 1));
    await wal.save(hs(2, ''), []);
    void wal.saveSnapshot(snapshot(30, 2)).catch(() => undefined);
    // the snapshot file is written before the marker record: crash in between
    await ticks(3);
    expect(await disk.list('snap')).toHaveLength(1);
    const reopened = await FileWal.open(disk.crash(new SeededRandom(9)));
    expect(reopened.recovered.snapshot?.meta.index).toBe(30);
    expect(reopened.recovered.entries).toEqual([]);
  });
});
