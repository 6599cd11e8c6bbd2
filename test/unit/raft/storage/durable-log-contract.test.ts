import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../actors/world/random.js';
import type { DurableLog, RecoveredState } from '../../../../raft/storage/durable-log.js';
import { StorageInvariantError, WalClosedError } from '../../../../raft/storage/errors.js';
import { FileWal } from '../../../../raft/storage/file-wal.js';
import { MemoryLog } from '../../../../raft/storage/memory-log.js';
import { SimDisk } from '../../../../raft/storage/sim-disk.js';
import { entries, hs, plain, snapshot } from './helpers.js';

// The DurableLog contract (raft/storage/durable-log.ts), run against every
// implementation: what one log accepts and recovers, all do.

interface Subject {
  open(): Promise<DurableLog>;
  /** Closes `log` and opens what a restart would find. */
  reopen(log: DurableLog): Promise<DurableLog>;
}

const subjects: Record<string, () => Subject> = {
  'MemoryLog': () => ({
    open: () => Promise.resolve(new MemoryLog()),
    reopen: async (log) => {
      await log.close();
      return new MemoryLog((log as MemoryLog).current());
    },
  }),
  'FileWal on SimDisk (clean restart)': () => {
    const disk = new SimDisk();
    return {
      open: () => FileWal.open(disk, { segmentBytesMax: 300 }),
      reopen: async (log) => {
        await log.close();
        return FileWal.open(disk, { segmentBytesMax: 300 });
      },
    };
  },
  'FileWal on SimDisk (crash after every save resolved)': () => {
    let disk = new SimDisk({ keepUnsyncedProbability: 1, tornWriteProbability: 1 });
    let seed = 1;
    return {
      open: () => FileWal.open(disk, { segmentBytesMax: 300 }),
      reopen: (log) => {
        void log; // no close: the process died
        disk = disk.crash(new SeededRandom(seed++));
        return FileWal.open(disk, { segmentBytesMax: 300 });
      },
    };
  },
};

function summary(r: RecoveredState): unknown {
  return {
    snapshot: r.snapshot === null ? null : { meta: r.snapshot.meta, data: [...r.snapshot.data] },
    hardState: r.hardState,
    entries: plain(r.entries),
  };
}

describe.each(Object.entries(subjects))('DurableLog contract: %s', (_name, make) => {
  it('starts empty', async () => {
    const log = await make().open();
    expect(summary(log.recovered)).toEqual({ snapshot: null, hardState: hs(0), entries: [] });
  });

  it('recovers what was saved', async () => {
    const s = make();
    let log = await s.open();
    await log.save(hs(1, 'a', 0), entries(1, 5, 1));
    await log.save(hs(1, 'a', 3), entries(6, 7, 1));
    log = await s.reopen(log);
    expect(plain(log.recovered.entries)).toEqual(plain(entries(1, 7, 1)));
    expect(log.recovered.hardState.term).toBe(1);
    expect(log.recovered.hardState.vote).toBe('a');
    expect(log.recovered.snapshot).toBeNull();
  });

  it('replaces the suffix from the first overwritten index', async () => {
    const s = make();
    let log = await s.open();
    await log.save(hs(1, 'a'), entries(1, 5, 1));
    await log.save(hs(2, 'b'), entries(3, 4, 2, 'new'));
    log = await s.reopen(log);
    expect(plain(log.recovered.entries)).toEqual(plain([...entries(1, 2, 1), ...entries(3, 4, 2, 'new')]));
    // and the log goes on from the new end
    await log.save(null, entries(5, 5, 2));
    log = await s.reopen(log);
    expect(log.recovered.entries.map((e) => `${e.index}@${e.term}`)).toEqual(['1@1', '2@1', '3@2', '4@2', '5@2']);
  });

  it('resolves saves in call order', async () => {
    const log = await make().open();
    await log.save(hs(1), []);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.save(null, entries(i + 1, i + 1, 1)).then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('keeps the entries after a snapshot of its own log (compaction)', async () => {
    const s = make();
    let log = await s.open();
    await log.save(hs(1, 'a', 10), entries(1, 10, 1));
    await log.saveSnapshot(snapshot(5, 1));
    log = await s.reopen(log);
    expect(log.recovered.snapshot?.meta.index).toBe(5);
    expect(new TextDecoder().decode(log.recovered.snapshot?.data)).toBe('state@5');
    expect(log.recovered.entries.map((e) => e.index)).toEqual([6, 7, 8, 9, 10]);
  });

  it('replaces the log with a snapshot it does not hold, then goes on after it', async () => {
    const s = make();
    let log = await s.open();
    await log.save(hs(1, 'a'), entries(1, 10, 1));
    await log.save(hs(3, ''), []);
    await log.saveSnapshot(snapshot(20, 3));
    await log.save(null, entries(21, 22, 3));
    log = await s.reopen(log);
    expect(log.recovered.snapshot?.meta).toMatchObject({ index: 20, term: 3 });
    expect(log.recovered.entries.map((e) => e.index)).toEqual([21, 22]);
    expect(log.recovered.hardState.commit).toBe(20); // a snapshot is committed state
  });

  it('replaces the log when the snapshot conflicts with the entry at its index', async () => {
    const s = make();
    let log = await s.open();
    await log.save(hs(2), entries(1, 10, 1));
    await log.saveSnapshot(snapshot(8, 2));
    log = await s.reopen(log);
    expect(log.recovered.snapshot?.meta.index).toBe(8);
    expect(log.recovered.entries).toEqual([]);
  });

  it('ignores a snapshot that is not newer, and entries it covers', async () => {
    const s = make();
    let log = await s.open();
    await log.save(hs(1), entries(1, 10, 1));
    await log.saveSnapshot(snapshot(6, 1));
    await log.saveSnapshot(snapshot(4, 1, 'older'));
    await log.save(null, entries(5, 11, 1));
    log = await s.reopen(log);
    expect(log.recovered.snapshot?.meta.index).toBe(6);
    expect(log.recovered.entries.map((e) => e.index)).toEqual([7, 8, 9, 10, 11]);
  });

  it('recovers a commit index within [snapshot index, last index]', async () => {
    const s = make();
    let log = await s.open();
    await log.save(hs(1, '', 0), entries(1, 4, 1));
    await log.save(hs(1, '', 4), []);
    log = await s.reopen(log);
    expect(log.recovered.hardState.commit).toBeLessThanOrEqual(4);
    await log.save(hs(1, '', 4), entries(5, 8, 1));
    await log.saveSnapshot(snapshot(6, 1));
    log = await s.reopen(log);
    expect(log.recovered.hardState.commit).toBeGreaterThanOrEqual(6);
    expect(log.recovered.hardState.commit).toBeLessThanOrEqual(8);
  });

  it('refuses contract violations and writes nothing of them', async () => {
    const s = make();
    let log = await s.open();
    await log.save(hs(2, 'a'), entries(1, 3, 2));
    const bad: [string, () => Promise<void>][] = [
      ['a gap', () => log.save(null, entries(5, 6, 2))],
      ['non-contiguous entries', () => log.save(null, [...entries(4, 4, 2), ...entries(6, 6, 2)])],
      ['a term going back', () => log.save(hs(1, 'a'), [])],
      ['a second vote in a term', () => log.save(hs(2, 'b'), [])],
      ['an entry above the term', () => log.save(null, entries(4, 4, 3))],
      ['terms going down within a save', () => log.save(hs(3), [...entries(4, 4, 3), ...entries(5, 5, 2)])],
      ['a snapshot at index 0', () => log.saveSnapshot(snapshot(0, 1))],
    ];
    for (const [what, call] of bad) {
      await expect(call(), what).rejects.toBeInstanceOf(StorageInvariantError);
    }
    await log.save(hs(2, 'a', 1), entries(4, 4, 2)); // still usable
    log = await s.reopen(log);
    expect(log.recovered.entries.map((e) => `${e.index}@${e.term}`)).toEqual(['1@2', '2@2', '3@2', '4@2']);
    expect(log.recovered.hardState).toMatchObject({ term: 2, vote: 'a' });
  });

  it('refuses work once closed', async () => {
    const log = await make().open();
    await log.close();
    await expect(log.save(hs(1), [])).rejects.toBeInstanceOf(WalClosedError);
    await expect(log.saveSnapshot(snapshot(1, 1))).rejects.toBeInstanceOf(WalClosedError);
  });
});
