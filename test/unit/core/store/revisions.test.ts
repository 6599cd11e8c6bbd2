import { describe, expect, it } from 'vitest';
import { createKvStore } from '../../../../core/store/index.js';
import { b, del, entryOf, put, text } from './helpers.js';

describe('revisions and versions', () => {
  it('an empty store is at revision 1; each write makes the next revision', () => {
    const s = createKvStore();
    expect(s.revision).toBe(1);
    expect(put(s, 'a', '1')).toBe(2);
    expect(put(s, 'b', '1')).toBe(3);
    expect(put(s, 'a', '2')).toBe(4);
    expect(del(s, 'b')).toBe(5);
    expect(s.revision).toBe(5);
  });

  it('a key has createRevision, modRevision and version: 1 on create, +1 per put', () => {
    const s = createKvStore();
    put(s, 'other', 'x'); // 2
    put(s, 'k', 'a'); // 3
    put(s, 'k', 'b'); // 4
    put(s, 'k', 'c'); // 5
    expect(s.get('k')).toEqual({ key: 'k', value: b('c'), createRevision: 3, modRevision: 5, version: 3 });
  });

  it('a delete removes the key; a later put recreates it at version 1', () => {
    const s = createKvStore();
    put(s, 'k', 'a'); // 2
    put(s, 'k', 'b'); // 3
    del(s, 'k'); // 4
    expect(s.get('k')).toBeUndefined();
    put(s, 'k', 'c'); // 5
    expect(s.get('k')).toEqual({ key: 'k', value: b('c'), createRevision: 5, modRevision: 5, version: 1 });
  });

  it('a delete that finds nothing writes nothing: the revision stays', () => {
    const s = createKvStore();
    put(s, 'a', '1');
    const r = s.applyCommand({ type: 'delete', key: 'missing' });
    expect(r).toEqual({ type: 'delete', revision: 2, deleted: 0 });
    expect(s.revision).toBe(2);
    expect(s.applyCommand({ type: 'deleteRange', prefix: 'zzz' })).toEqual({ type: 'deleteRange', revision: 2, deleted: 0 });
  });

  it('put returns the replaced version only when asked (prevKv)', () => {
    const s = createKvStore();
    expect(s.applyCommand({ type: 'put', key: 'k', value: b('a'), prevKv: true })).toEqual({ type: 'put', revision: 2 });
    expect(s.applyCommand({ type: 'put', key: 'k', value: b('b') })).toEqual({ type: 'put', revision: 3 });
    const r = s.applyCommand({ type: 'put', key: 'k', value: b('c'), prevKv: true });
    expect(r).toEqual({
      type: 'put',
      revision: 4,
      prevKv: { key: 'k', value: b('b'), createRevision: 2, modRevision: 3, version: 2 },
    });
  });

  it('delete and deleteRange return what they removed when asked', () => {
    const s = createKvStore();
    put(s, 'p/a', '1');
    put(s, 'p/b', '2');
    put(s, 'q', '3');
    put(s, 'k', '4');
    const d = s.applyCommand({ type: 'delete', key: 'k', prevKv: true });
    expect(d).toMatchObject({ type: 'delete', revision: 6, deleted: 1, prevKv: { key: 'k', version: 1 } });
    const r = s.applyCommand({ type: 'deleteRange', prefix: 'p/', prevKv: true });
    expect(r.type).toBe('deleteRange');
    if (r.type !== 'deleteRange') return;
    expect(r.revision).toBe(7); // one revision for the whole range
    expect(r.deleted).toBe(2);
    expect(r.prevKvs?.map(text)).toEqual(['1', '2']);
    expect(s.get('p/a')).toBeUndefined();
    expect(text(s.get('q'))).toBe('3');
  });

  it('deleteRange with an empty prefix removes every key', () => {
    const s = createKvStore();
    for (const k of ['a', 'b', 'c']) put(s, k, k);
    expect(s.applyCommand({ type: 'deleteRange', prefix: '' })).toEqual({ type: 'deleteRange', revision: 5, deleted: 3 });
    expect(s.stats().keys).toBe(0);
  });

  it('apply(entry) and applyCommand give the same results', () => {
    const viaEntries = createKvStore();
    const direct = createKvStore();
    const cmds = [
      { type: 'put', key: 'a', value: b('1'), prevKv: true },
      { type: 'put', key: 'a', value: b('2'), prevKv: true },
      { type: 'delete', key: 'a', prevKv: true },
      { type: 'compact', revision: 3 },
    ] as const;
    for (const c of cmds) expect(viaEntries.apply(entryOf(c))).toEqual(direct.applyCommand(c));
  });

  it('a stored value is the store\'s own copy', () => {
    const s = createKvStore();
    const value = b('abc');
    s.applyCommand({ type: 'put', key: 'k', value });
    value[0] = 0;
    expect(text(s.get('k'))).toBe('abc');
  });

  it('results are plain data (they travel to the proposer over the transport)', () => {
    const s = createKvStore();
    const r = s.applyCommand({ type: 'put', key: 'k', value: b('v'), prevKv: true });
    expect(JSON.parse(JSON.stringify(r))).toEqual({ type: 'put', revision: 2 });
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  });
});
