import { describe, expect, it } from 'vitest';
import { CompactedRevisionError, FutureRevisionError, createKvStore, rejectionError } from '../../../../core/store/index.js';
import { del, keys, pairs, put, text } from './helpers.js';

describe('compaction', () => {
  it('drops history below the revision, keeping the latest version of each live key', () => {
    const s = createKvStore();
    put(s, 'a', 'a1'); // 2
    put(s, 'a', 'a2'); // 3
    put(s, 'b', 'b1'); // 4
    put(s, 'a', 'a3'); // 5
    const r = s.applyCommand({ type: 'compact', revision: 4 });
    expect(r).toEqual({ type: 'compact', revision: 5, compactRevision: 4 });
    expect(s.compactRevision).toBe(4);
    expect(s.revision).toBe(5); // a compaction is not a write
    // At 4: a2 (written at 3, the latest below 4, kept) and b1.
    expect(pairs(s.range({ prefix: '', revision: 4 }).kvs)).toEqual(['a=a2', 'b=b1']);
    expect(pairs(s.range({ prefix: '' }).kvs)).toEqual(['a=a3', 'b=b1']);
    expect(() => s.range({ prefix: '', revision: 3 })).toThrow(CompactedRevisionError);
    // a: a2 and a3 remain; b: b1.
    expect(s.stats()).toMatchObject({ versions: 3, events: 2, keys: 2, indexedKeys: 2 });
  });

  it('forgets keys deleted below the revision, but not those deleted at or after it', () => {
    const s = createKvStore();
    put(s, 'gone', '1'); // 2
    put(s, 'late', '1'); // 3
    del(s, 'gone'); // 4
    del(s, 'late'); // 5
    s.applyCommand({ type: 'compact', revision: 5 });
    expect(s.stats()).toMatchObject({ keys: 0, indexedKeys: 1, versions: 2 }); // late: its version from 3 and its tombstone
    expect(pairs(s.range({ prefix: '', revision: 5 }).kvs)).toEqual([]);
    put(s, 'x', '1'); // 6
    s.applyCommand({ type: 'compact', revision: 6 });
    expect(s.stats()).toMatchObject({ keys: 1, indexedKeys: 1, versions: 1, events: 1 });
  });

  it('keeps the versions watchers of the kept events need, and a later read at the compaction point works', () => {
    const s = createKvStore();
    for (let i = 0; i < 10; i++) put(s, `k${i % 3}`, String(i)); // 2..11
    s.applyCommand({ type: 'compact', revision: 8 });
    for (let rev = 8; rev <= 11; rev++) expect(s.range({ prefix: '', revision: rev }).count).toBe(3);
    expect(keys(s.range({ prefix: '', revision: 8 }).kvs)).toEqual(['k0', 'k1', 'k2']);
    expect(text(s.get('k0', 8))).toBe('6');
  });

  it('rejects (as a result, not by throwing) a revision ahead of the store, or one already compacted', () => {
    const s = createKvStore();
    put(s, 'a', '1'); // 2
    put(s, 'a', '2'); // 3
    const ahead = s.applyCommand({ type: 'compact', revision: 4 });
    expect(ahead).toMatchObject({ type: 'rejected', code: 'FUTURE_REVISION', requestedRevision: 4, revision: 3 });
    expect(ahead.type === 'rejected' && rejectionError(ahead)).toBeInstanceOf(FutureRevisionError);
    expect(s.applyCommand({ type: 'compact', revision: 3 })).toMatchObject({ type: 'compact', compactRevision: 3 });
    const again = s.applyCommand({ type: 'compact', revision: 2 });
    expect(again).toMatchObject({ type: 'rejected', code: 'COMPACTED', requestedRevision: 2, compactRevision: 3 });
    expect(again.type === 'rejected' && rejectionError(again)).toMatchObject({ name: 'CompactedRevisionError', requestedRevision: 2 });
    expect(s.applyCommand({ type: 'compact', revision: 3 })).toMatchObject({ type: 'rejected', code: 'COMPACTED' });
    expect(s.compactRevision).toBe(3);
  });

  it('compacting to the current revision keeps exactly the current state', () => {
    const s = createKvStore();
    for (let i = 0; i < 50; i++) put(s, `k${i % 7}`, String(i));
    for (let i = 0; i < 7; i += 2) del(s, `k${i}`);
    const before = s.range({ prefix: '' });
    s.applyCommand({ type: 'compact', revision: s.revision });
    expect(s.range({ prefix: '' }).kvs).toEqual(before.kvs);
    // The last write (the delete of k6) is kept whole: its event, and k6's
    // version before it, which a read at the compaction point no longer sees
    // but that event's prevKv names.
    expect(s.stats()).toMatchObject({ keys: 3, indexedKeys: 4, versions: 5, events: 1 });
    expect(s.get('k6')).toBeUndefined();
  });
});
