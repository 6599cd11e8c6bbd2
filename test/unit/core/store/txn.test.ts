import { describe, expect, it } from 'vitest';
import { createKvStore, type Compare, type KvStore } from '../../../../core/store/index.js';
import { b, keys, put, text } from './helpers.js';

/** The compare-and-swap an optimistic update does: write only if nobody wrote since `modRevision`. */
function cas(s: KvStore, key: string, modRevision: number, value: string) {
  return s.applyCommand({
    type: 'txn',
    compare: [{ key, target: 'modRevision', op: '=', value: modRevision }],
    success: [{ type: 'put', key, value: b(value) }],
    failure: [{ type: 'range', key }],
  });
}

describe('transactions', () => {
  it('compare-and-swap on modRevision succeeds when nothing changed in between', () => {
    const s = createKvStore();
    const rev = put(s, 'k', 'a');
    const r = cas(s, 'k', rev, 'b');
    expect(r).toEqual({ type: 'txn', revision: 3, succeeded: true, results: [{ type: 'put' }] });
    expect(text(s.get('k'))).toBe('b');
  });

  it('compare-and-swap fails, writing nothing, when the key changed; the failure branch reads the winner', () => {
    const s = createKvStore();
    const rev = put(s, 'k', 'a');
    put(s, 'k', 'someone else'); // 3
    const r = cas(s, 'k', rev, 'b');
    expect(r.type).toBe('txn');
    if (r.type !== 'txn') return;
    expect(r.succeeded).toBe(false);
    expect(r.revision).toBe(3); // nothing written: the revision stays
    expect(s.revision).toBe(3);
    const [read] = r.results;
    expect(read?.type === 'range' && read.kvs.map(text)).toEqual(['someone else']);
    expect(text(s.get('k'))).toBe('someone else');
  });

  it('create-if-absent: modRevision = 0 holds only for a missing key', () => {
    const s = createKvStore();
    const create = (v: string) =>
      s.applyCommand({
        type: 'txn',
        compare: [{ key: 'k', target: 'modRevision', op: '=', value: 0 }],
        success: [{ type: 'put', key: 'k', value: b(v) }],
      });
    expect(create('first')).toMatchObject({ succeeded: true, revision: 2 });
    expect(create('second')).toMatchObject({ succeeded: false, revision: 2, results: [] });
    expect(text(s.get('k'))).toBe('first');
  });

  it('all writes of a transaction share ONE revision, and watchers get them in op order', () => {
    const s = createKvStore();
    put(s, 'gone', 'x'); // 2
    const seen: string[] = [];
    s.subscribe((n) => {
      if (n.type === 'events') seen.push(...n.events.map((e) => `${n.revision}:${e.type}:${e.kv.key}`));
    });
    const r = s.applyCommand({
      type: 'txn',
      success: [
        { type: 'put', key: 'b', value: b('1') },
        { type: 'put', key: 'a', value: b('1') },
        { type: 'delete', key: 'gone' },
      ],
    });
    expect(r).toMatchObject({ succeeded: true, revision: 3 });
    expect(s.get('a')?.modRevision).toBe(3);
    expect(s.get('b')?.modRevision).toBe(3);
    expect(seen).toEqual(['3:PUT:b', '3:PUT:a', '3:DELETE:gone']);
    expect(s.revision).toBe(3);
  });

  it('a failed compare among several fails them all (atomic: all or nothing)', () => {
    const s = createKvStore();
    const ra = put(s, 'a', '1');
    put(s, 'b', '1');
    const r = s.applyCommand({
      type: 'txn',
      compare: [
        { key: 'a', target: 'modRevision', op: '=', value: ra },
        { key: 'b', target: 'version', op: '=', value: 2 },
      ],
      success: [
        { type: 'put', key: 'a', value: b('2') },
        { type: 'put', key: 'b', value: b('2') },
      ],
    });
    expect(r).toMatchObject({ succeeded: false, revision: 3 });
    expect(text(s.get('a'))).toBe('1');
    expect(text(s.get('b'))).toBe('1');
  });

  it('ops see the ones before them: a range after a put reads it', () => {
    const s = createKvStore();
    put(s, 'p/a', '1');
    const r = s.applyCommand({
      type: 'txn',
      success: [
        { type: 'range', prefix: 'p/' },
        { type: 'put', key: 'p/b', value: b('2') },
        { type: 'range', prefix: 'p/', limit: 1 },
        { type: 'range', prefix: 'p/', countOnly: true },
      ],
    });
    if (r.type !== 'txn') throw new Error(r.type);
    const [before, , limited, counted] = r.results;
    expect(before).toMatchObject({ type: 'range', count: 1, more: false });
    expect(limited?.type === 'range' && keys(limited.kvs)).toEqual(['p/a']);
    expect(limited).toMatchObject({ count: 2, more: true });
    expect(counted).toMatchObject({ kvs: [], count: 2, more: false });
  });

  it('writing one key twice in a transaction leaves the last write, with versions counted per op', () => {
    const s = createKvStore();
    put(s, 'k', 'a'); // 2, version 1
    const r = s.applyCommand({
      type: 'txn',
      success: [
        { type: 'put', key: 'k', value: b('b'), prevKv: true },
        { type: 'put', key: 'k', value: b('c'), prevKv: true },
      ],
    });
    expect(r.type === 'txn' && r.results.map((x) => x.type === 'put' && text(x.prevKv))).toEqual(['a', 'b']);
    expect(s.get('k')).toMatchObject({ modRevision: 3, version: 3, createRevision: 2 });
    // History at revision 3 holds only the last write.
    expect(text(s.get('k', 3))).toBe('c');
    expect(s.stats().versions).toBe(2);
  });

  it('delete then put of one key in a transaction recreates it at that revision', () => {
    const s = createKvStore();
    put(s, 'k', 'a');
    put(s, 'k', 'b'); // version 2
    s.applyCommand({ type: 'txn', success: [{ type: 'delete', key: 'k' }, { type: 'put', key: 'k', value: b('c') }] });
    expect(s.get('k')).toMatchObject({ createRevision: 4, modRevision: 4, version: 1 });
    const events = s.eventsSince({ key: 'k' }, 4).events;
    expect(events.map((e) => e.type)).toEqual(['DELETE', 'PUT']);
    expect(events[1]).not.toHaveProperty('prevKv');
  });

  it('a transaction that only reads, or whose branch writes nothing, keeps the revision', () => {
    const s = createKvStore();
    put(s, 'a', '1');
    expect(s.applyCommand({ type: 'txn', success: [{ type: 'range', key: 'a' }] })).toMatchObject({ revision: 2, succeeded: true });
    expect(s.applyCommand({ type: 'txn' })).toEqual({ type: 'txn', revision: 2, succeeded: true, results: [] });
    expect(s.applyCommand({ type: 'txn', success: [{ type: 'delete', key: 'nope' }] })).toMatchObject({ revision: 2 });
    expect(s.revision).toBe(2);
  });

  describe('compares', () => {
    const s = createKvStore();
    put(s, 'x', 'zz'); // 2
    put(s, 'k', 'm'); // 3
    put(s, 'k', 'mm'); // 4: createRevision 3, modRevision 4, version 2, value "mm"

    const holds = (c: Compare): boolean => {
      const r = s.applyCommand({ type: 'txn', compare: [c] });
      if (r.type !== 'txn') throw new Error(r.message);
      return r.succeeded;
    };

    const cases: [Compare, boolean][] = [
      [{ key: 'k', target: 'modRevision', op: '=', value: 4 }, true],
      [{ key: 'k', target: 'modRevision', op: '!=', value: 4 }, false],
      [{ key: 'k', target: 'modRevision', op: '<', value: 5 }, true],
      [{ key: 'k', target: 'modRevision', op: '>', value: 4 }, false],
      [{ key: 'k', target: 'createRevision', op: '=', value: 3 }, true],
      [{ key: 'k', target: 'createRevision', op: '>', value: 2 }, true],
      [{ key: 'k', target: 'version', op: '=', value: 2 }, true],
      [{ key: 'k', target: 'version', op: '<', value: 2 }, false],
      [{ key: 'k', target: 'value', op: '=', value: b('mm') }, true],
      [{ key: 'k', target: 'value', op: '!=', value: b('mm') }, false],
      [{ key: 'k', target: 'value', op: '<', value: b('mn') }, true],
      [{ key: 'k', target: 'value', op: '>', value: b('m') }, true], // a prefix sorts first
      [{ key: 'k', target: 'value', op: '<', value: b('m') }, false],
      // A missing key: revisions and version are 0; any compare of its value fails.
      [{ key: 'none', target: 'modRevision', op: '=', value: 0 }, true],
      [{ key: 'none', target: 'version', op: '>', value: 0 }, false],
      [{ key: 'none', target: 'createRevision', op: '<', value: 1 }, true],
      [{ key: 'none', target: 'value', op: '=', value: b('') }, false],
      [{ key: 'none', target: 'value', op: '!=', value: b('a') }, false],
    ];
    for (const [c, expected] of cases) {
      const show = c.target === 'value' ? JSON.stringify(new TextDecoder().decode(c.value)) : c.value;
      it(`${c.key}.${c.target} ${c.op} ${show} is ${expected}`, () => expect(holds(c)).toBe(expected));
    }

    it('bytes compare unsigned', () => {
      const t = createKvStore();
      t.applyCommand({ type: 'put', key: 'k', value: Uint8Array.of(0x80) });
      const r = t.applyCommand({ type: 'txn', compare: [{ key: 'k', target: 'value', op: '>', value: Uint8Array.of(0x7f) }] });
      expect(r).toMatchObject({ succeeded: true });
    });
  });
});
