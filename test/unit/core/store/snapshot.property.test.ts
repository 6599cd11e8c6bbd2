import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { SnapshotFormatError, createKvStore, type KvStore } from '../../../../core/store/index.js';
import { command } from './arbitraries.js';
import { b, entryOf, put } from './helpers.js';

/** Everything a client could observe of a store. */
function observe(s: KvStore) {
  const from = Math.max(1, s.compactRevision);
  const ranges = [];
  for (let rev = from; rev <= s.revision; rev++) ranges.push(s.range({ prefix: '', revision: rev }));
  return { stats: s.stats(), ranges, events: s.eventsSince({ prefix: '' }, from) };
}

/** Byte equality (msgpackr leaves a cached DataView on buffers it has read, which toEqual would count). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(Buffer.compare(actual, expected)).toBe(0);
}

describe('snapshot and restore', () => {
  it('a restored store is the original: same reads at every kept revision, same events, same results from then on', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 50 }),
        fc.array(command, { maxLength: 30 }),
        fc.array(command, { maxLength: 10 }),
        (before, after, junk) => {
          const a = createKvStore();
          for (const c of before) a.applyCommand(c);
          const snap = a.snapshot();
          // B had a life of its own before: restore replaces it entirely.
          const b = createKvStore();
          for (const c of junk) b.applyCommand(c);
          b.restore(snap);
          expect(observe(b)).toEqual(observe(a));
          expectSameBytes(b.snapshot(), snap); // same state, same bytes
          for (const c of after) expect(b.apply(entryOf(c))).toEqual(a.apply(entryOf(c)));
          expect(observe(b)).toEqual(observe(a));
          expectSameBytes(b.snapshot(), a.snapshot());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps history and events from the compaction point on, so past reads and watches survive a restore', () => {
    const a = createKvStore();
    for (let i = 0; i < 6; i++) put(a, `k${i % 2}`, String(i)); // 2..7
    a.applyCommand({ type: 'compact', revision: 4 });
    const s = createKvStore();
    s.restore(a.snapshot());
    expect(s.compactRevision).toBe(4);
    expect(s.range({ prefix: '', revision: 4 }).kvs.map((kv) => `${kv.key}@${kv.version}`)).toEqual(['k0@2', 'k1@1']);
    expect(s.eventsSince({ prefix: '' }, 4).events.map((e) => e.revision)).toEqual([4, 5, 6, 7]);
    expect(() => s.range({ prefix: '', revision: 3 })).toThrow('revision 3 has been compacted');
  });

  it('an empty store round-trips', () => {
    const s = createKvStore();
    s.applyCommand({ type: 'compact', revision: 1 });
    const t = createKvStore();
    t.restore(s.snapshot());
    expect(observe(t)).toEqual(observe(s));
    expect(t.compactRevision).toBe(1);
  });

  describe('a bad snapshot throws SnapshotFormatError and leaves the store as it was', () => {
    const packr = new Packr({ useRecords: false });
    const cases: [string, Uint8Array, string][] = [
      ['not msgpack', Uint8Array.of(0xc1, 0xc1), 'does not decode as msgpack'],
      ['not the right shape', packr.pack({ revision: 1 }), 'expected [format, revision, compactRevision, base, events]'],
      ['an unknown format', packr.pack([2, 1, 0, [], []]), 'unknown format 2'],
      ['a compaction ahead of the revision', packr.pack([1, 2, 3, [], [0, 2, 'a', b('')]]), 'compactRevision 3 is ahead of revision 2'],
      ['a gap in revisions', packr.pack([1, 3, 0, [], [0, 3, 'a', b('')]]), 'revision 3 follows 1'],
      ['a delete of nothing', packr.pack([1, 2, 0, [], [1, 2, 'a']]), 'deletes "a", which does not exist'],
      ['events short of the revision', packr.pack([1, 5, 0, [], [0, 2, 'a', b('')]]), 'events end at revision 2, the snapshot says 5'],
      ['a value that is not bytes', packr.pack([1, 2, 0, [], [0, 2, 'a', 'text']]), 'value is not bytes'],
      ['an unknown event type', packr.pack([1, 2, 0, [], [7, 2, 'a']]), 'unknown event type 7'],
      ['base keys out of order', packr.pack([1, 4, 4, ['b', b(''), 2, 2, 1, 'a', b(''), 3, 3, 1], [0, 4, 'c', b('')]]), 'is not after'],
      ['a base version above the compaction', packr.pack([1, 4, 4, ['a', b(''), 2, 4, 1], [0, 4, 'c', b('')]]), 'not below compactRevision'],
    ];
    for (const [what, data, reason] of cases) {
      it(what, () => {
        const s = createKvStore();
        put(s, 'keep', 'me');
        const before = s.snapshot();
        expect(() => s.restore(data)).toThrow(SnapshotFormatError);
        expect(() => s.restore(data)).toThrow(reason);
        expectSameBytes(s.snapshot(), before);
      });
    }
  });

  it('takes and restores a sizeable store quickly', () => {
    const a = createKvStore();
    const value = new Uint8Array(100);
    for (let i = 0; i < 20_000; i++) a.applyCommand({ type: 'put', key: `/registry/pods/ns${i % 10}/p${i}`, value });
    for (let i = 0; i < 5_000; i++) a.applyCommand({ type: 'put', key: `/registry/pods/ns${i % 10}/p${i}`, value });
    a.applyCommand({ type: 'compact', revision: 20_000 });
    const snap = a.snapshot();
    const t = createKvStore();
    t.restore(snap);
    expect(t.stats()).toEqual(a.stats());
    expect(t.range({ prefix: '/registry/pods/ns3/', limit: 5 })).toEqual(a.range({ prefix: '/registry/pods/ns3/', limit: 5 }));
  });
});
