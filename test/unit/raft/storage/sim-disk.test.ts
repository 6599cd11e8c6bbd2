import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../actors/world/random.js';
import type { AppendFile } from '../../../../raft/storage/disk.js';
import { DiskCrashedError } from '../../../../raft/storage/errors.js';
import { SimDisk, type CrashFaults } from '../../../../raft/storage/sim-disk.js';

type Op =
  | { readonly type: 'append'; readonly file: number; readonly data: Uint8Array }
  | { readonly type: 'sync'; readonly file: number }
  | { readonly type: 'truncate'; readonly file: number; readonly keep: number }
  | { readonly type: 'atomic'; readonly data: Uint8Array };

const FILES = ['d/f0', 'd/f1', 'd/f2'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('append' as const),
      file: fc.nat(2),
      data: fc.uint8Array({ minLength: 1, maxLength: 40 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('sync' as const), file: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('truncate' as const), file: fc.nat(2), keep: fc.nat(60) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('atomic' as const), data: fc.uint8Array({ maxLength: 20 }) }) },
);

const faultsArb: fc.Arbitrary<CrashFaults> = fc.record({
  keepUnsyncedProbability: fc.double({ min: 0, max: 1, noNaN: true }),
  tornWriteProbability: fc.double({ min: 0, max: 1, noNaN: true }),
  zeroFillProbability: fc.double({ min: 0, max: 1, noNaN: true }),
});

function cat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** Runs `ops` on a fresh disk; returns the disk, its open handles and a model of each file. */
async function run(ops: readonly Op[], faults: CrashFaults) {
  const disk = new SimDisk(faults);
  await disk.mkdirp('d');
  const handles: AppendFile[] = [];
  for (const f of FILES) handles.push(await disk.openAppend(f));
  const model = FILES.map((): { synced: Uint8Array; all: Uint8Array } => ({ synced: new Uint8Array(0), all: new Uint8Array(0) }));
  let atomic: Uint8Array | null = null;
  for (const op of ops) {
    if (op.type === 'atomic') {
      await disk.writeAtomic('d/atomic', op.data);
      atomic = op.data;
      continue;
    }
    const m = model[op.file]!;
    if (op.type === 'append') {
      await handles[op.file]!.append(op.data);
      m.all = cat(m.all, op.data);
    } else if (op.type === 'sync') {
      await handles[op.file]!.sync();
      m.synced = m.all;
    } else {
      const keep = Math.min(op.keep, m.all.byteLength);
      await disk.truncate(FILES[op.file]!, keep);
      m.all = m.all.slice(0, keep);
      m.synced = m.all;
    }
  }
  return { disk, handles, model, atomic };
}

describe('SimDisk', () => {
  it('a crash loses only unsynced bytes: synced bytes stay, the rest is a prefix of what was written, maybe zero-filled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 60 }), faultsArb, fc.integer(), async (ops, faults, seed) => {
        const { disk: before, model, atomic } = await run(ops, faults);
        const disk = before.crash(new SeededRandom(seed));
        for (let i = 0; i < FILES.length; i++) {
          const { synced, all } = model[i]!;
          const after = (await disk.read(FILES[i]!))!;
          expect(after.byteLength).toBeGreaterThanOrEqual(synced.byteLength);
          expect(after.byteLength).toBeLessThanOrEqual(all.byteLength);
          let common = 0;
          while (common < after.byteLength && after[common] === all[common]) common++;
          expect(common).toBeGreaterThanOrEqual(synced.byteLength); // synced bytes never change
          for (let j = common; j < after.byteLength; j++) expect(after[j]).toBe(0); // then only zeros
          expect([...disk.durableBytes(FILES[i]!)!]).toEqual([...after]);
        }
        const a = await disk.read('d/atomic');
        expect(a === null ? null : [...a]).toEqual(atomic === null ? null : [...atomic]); // all or nothing, and durable
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic for a seed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), faultsArb, fc.integer(), async (ops, faults, seed) => {
        const contents = async (): Promise<number[][]> => {
          const disk = (await run(ops, faults)).disk.crash(new SeededRandom(seed));
          return Promise.all(FILES.map(async (f) => [...(await disk.read(f))!]));
        };
        expect(await contents()).toEqual(await contents());
      }),
      { numRuns: 50 },
    );
  });

  it('keeps nothing unsynced with no faults allowed, and everything synced', async () => {
    const disk = new SimDisk({ keepUnsyncedProbability: 0, tornWriteProbability: 0 });
    await disk.mkdirp('w');
    const f = await disk.openAppend('w/x');
    await f.append(new Uint8Array([1, 2]));
    await f.sync();
    await f.append(new Uint8Array([3, 4]));
    expect([...(await disk.read('w/x'))!]).toEqual([1, 2, 3, 4]);
    const after = disk.crash(new SeededRandom(1));
    expect([...(await after.read('w/x'))!]).toEqual([1, 2]);
  });

  it('kills the crashed disk and its handles; the disk it returns goes on', async () => {
    const disk = new SimDisk();
    await disk.mkdirp('w');
    const f = await disk.openAppend('w/x');
    const after = disk.crash(new SeededRandom(1));
    await expect(f.append(new Uint8Array([1]))).rejects.toBeInstanceOf(DiskCrashedError);
    await expect(f.sync()).rejects.toBeInstanceOf(DiskCrashedError);
    await expect(disk.writeAtomic('w/y', new Uint8Array([1]))).rejects.toBeInstanceOf(DiskCrashedError);
    await expect(disk.read('w/x')).rejects.toBeInstanceOf(DiskCrashedError);
    expect(after.stats.crashes).toBe(1);
    const g = await after.openAppend('w/x');
    await g.append(new Uint8Array([1]));
    expect(g.size).toBe(1);
  });

  it('refuses files in directories that do not exist, like a real file system', async () => {
    const disk = new SimDisk();
    await expect(disk.openAppend('nope/x')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(disk.writeAtomic('nope/x', new Uint8Array())).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await disk.read('nope/x')).toBeNull();
    expect(await disk.list('nope')).toEqual([]);
  });

  it('can lie about fsync when asked to (a lost fsync)', async () => {
    const disk = new SimDisk({ lostSyncProbability: 1, random: new SeededRandom(5), keepUnsyncedProbability: 0, tornWriteProbability: 0 });
    await disk.mkdirp('w');
    const f = await disk.openAppend('w/x');
    await f.append(new Uint8Array([1, 2, 3]));
    await f.sync();
    expect(disk.stats.lostSyncs).toBe(1);
    const after = disk.crash(new SeededRandom(1));
    expect([...(await after.read('w/x'))!]).toEqual([]);
  });
});
