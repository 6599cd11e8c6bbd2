import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../actors/world/random.js';
import type { Entry, HardState, Snapshot } from '../../../../raft/core/types.js';
import type { RecoveredState } from '../../../../raft/storage/durable-log.js';
import { FileWal } from '../../../../raft/storage/file-wal.js';
import { MemoryLog } from '../../../../raft/storage/memory-log.js';
import { SimDisk, type CrashFaults } from '../../../../raft/storage/sim-disk.js';
import { CountingDisk, ticks } from './helpers.js';

// The file WAL under crashes: random Raft-shaped saves (appends, overwrites
// after a new term, votes, commits, compactions, snapshots that replace the
// log), issued concurrently, then a crash at an arbitrary moment (unsynced
// writes lost, kept or torn), then recovery; several incarnations in a row.
// A MemoryLog given the same calls is the model: after op j it holds S_j.
// With `acked` ops resolved before the crash, recovery must find:
//   - a snapshot at least as new as the last acknowledged one;
//   - every acknowledged entry that no later op replaced, unless the
//     recovered snapshot covers it;
//   - only entries that some S_j (j >= acked) holds, exactly;
//   - the term and vote of some S_j (j >= acked);
//   - and, when no snapshot op was in flight, exactly the log of some S_j.

type Cmd =
  | { readonly t: 'append'; readonly n: number }
  | { readonly t: 'overwrite'; readonly back: number; readonly n: number }
  | { readonly t: 'term'; readonly vote: boolean }
  | { readonly t: 'commit'; readonly k: number }
  | { readonly t: 'compact'; readonly back: number }
  | { readonly t: 'install'; readonly ahead: number }
  | { readonly t: 'wait'; readonly ticks: number }
  | { readonly t: 'sync' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('append' as const), n: fc.integer({ min: 1, max: 4 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('overwrite' as const),
      back: fc.integer({ min: 1, max: 6 }),
      n: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('term' as const), vote: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('commit' as const), k: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('compact' as const), back: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('install' as const), ahead: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('wait' as const), ticks: fc.nat(12) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'sync' as const }) },
);

const faultsArb: fc.Arbitrary<CrashFaults> = fc.record({
  keepUnsyncedProbability: fc.constantFrom(0, 0.5, 1),
  tornWriteProbability: fc.constantFrom(0, 0.5, 1),
  zeroFillProbability: fc.constantFrom(0, 0.5),
});

type Op = { readonly kind: 'save'; readonly hs: HardState | null; readonly entries: Entry[] } | { readonly kind: 'snap'; readonly snapshot: Snapshot };

const enc = new TextEncoder();
const key = (e: Entry): string => `${e.index}@${e.term}:${new TextDecoder().decode(e.data)}`;

/** Turns abstract commands into Raft-valid ops against the model's current state. */
function opsFor(cmd: Cmd, cur: RecoveredState, tag: string): Op[] {
  const hs = cur.hardState;
  const snapIndex = cur.snapshot?.meta.index ?? 0;
  const last = snapIndex + cur.entries.length;
  const termAt = (i: number): number | undefined =>
    i === snapIndex ? cur.snapshot?.meta.term : cur.entries[i - snapIndex - 1]?.term;
  const make = (from: number, n: number, term: number): Entry[] =>
    Array.from({ length: n }, (_, k) => ({ index: from + k, term, type: 'normal', data: enc.encode(`${tag}/${from + k}`) }));
  switch (cmd.t) {
    case 'append': {
      if (hs.term === 0) return [{ kind: 'save', hs: { term: 1, vote: 'a', commit: hs.commit }, entries: make(last + 1, cmd.n, 1) }];
      return [{ kind: 'save', hs: null, entries: make(last + 1, cmd.n, hs.term) }];
    }
    case 'overwrite': {
      const from = Math.max(snapIndex + 1, hs.commit + 1, last + 1 - cmd.back);
      const term = hs.term + 1;
      return [{ kind: 'save', hs: { term, vote: '', commit: hs.commit }, entries: make(from, cmd.n, term) }];
    }
    case 'term':
      return [{ kind: 'save', hs: { term: hs.term + 1, vote: cmd.vote ? 'b' : '', commit: hs.commit }, entries: [] }];
    case 'commit': {
      const commit = Math.min(last, hs.commit + cmd.k);
      return commit === hs.commit ? [] : [{ kind: 'save', hs: { ...hs, commit }, entries: [] }];
    }
    case 'compact': {
      const index = last - cmd.back;
      const term = termAt(index);
      if (index <= snapIndex || term === undefined) return [];
      return [{ kind: 'snap', snapshot: { meta: { index, term, conf: { voters: ['a'], learners: [] } }, data: enc.encode(`${tag}/snap`) } }];
    }
    case 'install': {
      const term = hs.term + 1;
      const index = Math.max(last + cmd.ahead, snapIndex + 1);
      return [
        { kind: 'save', hs: { term, vote: '', commit: hs.commit }, entries: [] },
        { kind: 'snap', snapshot: { meta: { index, term, conf: { voters: ['a', 'b'], learners: [] } }, data: enc.encode(`${tag}/install`) } },
      ];
    }
    case 'wait':
    case 'sync':
      return [];
  }
}

/** Syncs take a random number of microtask turns: appended bytes stay unsynced for a while, as on a real disk. */
class SlowSyncDisk extends CountingDisk {
  constructor(
    inner: SimDisk,
    private readonly random: SeededRandom,
  ) {
    super(inner);
    this.beforeSync = () => ticks(this.random.int(6));
  }
}

function entryMap(s: RecoveredState): Map<number, string> {
  return new Map(s.entries.map((e) => [e.index, key(e)]));
}

/** Checks the recovered state against model states `states[acked..]`. */
function checkRecovery(got: RecoveredState, states: readonly RecoveredState[], acked: number, snapInFlight: boolean): void {
  const window = states.slice(acked);
  const ackedState = states[acked]!;
  const snapIndex = got.snapshot?.meta.index ?? 0;
  // the snapshot: durable once acknowledged, and one that was really saved
  expect(snapIndex).toBeGreaterThanOrEqual(ackedState.snapshot?.meta.index ?? 0);
  if (got.snapshot !== null) {
    expect(window.some((s) => s.snapshot?.meta.index === snapIndex && s.snapshot.meta.term === got.snapshot!.meta.term)).toBe(true);
  }
  // acknowledged entries that no later op replaced are all there (or in the snapshot)
  const gotMap = entryMap(got);
  const windowMaps = window.map(entryMap);
  for (const e of ackedState.entries) {
    const stable = window.every((s, j) => windowMaps[j]!.get(e.index) === key(e) || (s.snapshot?.meta.index ?? 0) >= e.index);
    if (stable && e.index > snapIndex) expect(gotMap.get(e.index), `acknowledged entry ${key(e)}`).toBe(key(e));
  }
  // nothing that was never there
  for (const e of got.entries) {
    expect(windowMaps.some((m) => m.get(e.index) === key(e)), `entry ${key(e)} from some S_j`).toBe(true);
  }
  expect(got.entries.every((e, i) => e.index === snapIndex + 1 + i)).toBe(true);
  // term and vote; the durable term is never below a durable entry's or snapshot's
  expect(window.some((s) => s.hardState.term === got.hardState.term && s.hardState.vote === got.hardState.vote)).toBe(true);
  const lastTerm = got.entries[got.entries.length - 1]?.term ?? got.snapshot?.meta.term ?? 0;
  expect(got.hardState.term).toBeGreaterThanOrEqual(lastTerm);
  expect(got.hardState.term).toBeGreaterThanOrEqual(got.snapshot?.meta.term ?? 0);
  expect(got.hardState.commit).toBeGreaterThanOrEqual(snapIndex);
  expect(got.hardState.commit).toBeLessThanOrEqual(snapIndex + got.entries.length);
  // with no snapshot in flight, the log is exactly one of the states'
  if (!snapInFlight) {
    const gotKeys = got.entries.map(key).join(',');
    expect(window.some((s) => s.entries.map(key).join(',') === gotKeys && (s.snapshot?.meta.index ?? 0) === snapIndex)).toBe(true);
  }
}

describe('FileWal crash recovery (property)', () => {
  it('never loses an acknowledged save and never invents one, whatever the crash keeps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cmdArb, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 }),
        faultsArb,
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(128, 512, 64 * 1024),
        async (rounds, faults, seed, segmentBytesMax) => {
          const random = new SeededRandom(seed);
          let disk = new SimDisk(faults);
          let wal = await FileWal.open(new SlowSyncDisk(disk, random.fork('slow')), { segmentBytesMax });
          for (let r = 0; r < rounds.length; r++) {
            const model = new MemoryLog(wal.recovered);
            const states: RecoveredState[] = [model.current()];
            const kinds: Op['kind'][] = [];
            let acked = 0;
            const pending: Promise<void>[] = [];
            let n = 0;
            for (const cmd of rounds[r]!) {
              if (cmd.t === 'wait') await ticks(cmd.ticks);
              if (cmd.t === 'sync') await Promise.all(pending);
              for (const op of opsFor(cmd, model.current(), `r${r}c${n++}`)) {
                const i = states.length;
                const p = op.kind === 'save' ? wal.save(op.hs, op.entries) : wal.saveSnapshot(op.snapshot);
                await (op.kind === 'save' ? model.save(op.hs, op.entries) : model.saveSnapshot(op.snapshot));
                states.push(model.current());
                kinds.push(op.kind);
                const tracked = p.then(() => void (acked = Math.max(acked, i)));
                tracked.catch(() => undefined); // after the crash, what was in flight fails
                pending.push(tracked);
              }
            }
            await ticks(random.chance(0.3) ? 60 : random.int(8));
            disk = disk.crash(random.fork(`crash${r}`));
            wal = await FileWal.open(new SlowSyncDisk(disk, random.fork(`slow${r}`)), { segmentBytesMax });
            const snapInFlight = kinds.slice(acked).includes('snap');
            checkRecovery(wal.recovered, states, acked, snapInFlight);
          }
        },
      ),
      { numRuns: Number(process.env['DROVER_WAL_CRASH_RUNS'] ?? 150) },
    );
  });
});
