import { describe, expect, it } from 'vitest';
import {
  CompactedRevisionError,
  FutureRevisionError,
  InvalidRequestError,
  createKvStore,
  type KvStore,
  type RangeQuery,
} from '../../../../core/store/index.js';
import { del, keys, pairs, put } from './helpers.js';

function registry(): KvStore {
  const s = createKvStore();
  for (const k of ['/registry/pods/ns1/a', '/registry/pods/ns1/b', '/registry/pods/ns2/c', '/registry/pods/ns1x/d', '/registry/nodes/n1', '/registry/pods0']) {
    put(s, k, k.slice(-1));
  }
  return s;
}

describe('range', () => {
  it('one key', () => {
    const s = registry();
    const r = s.range({ key: '/registry/nodes/n1' });
    expect(r).toMatchObject({ type: 'range', revision: 7, count: 1, more: false });
    expect(pairs(r.kvs)).toEqual(['/registry/nodes/n1=1']);
    expect(s.range({ key: '/registry/nodes' })).toMatchObject({ kvs: [], count: 0, more: false });
  });

  it('a prefix, in key order, and only that prefix', () => {
    const s = registry();
    expect(keys(s.range({ prefix: '/registry/pods/ns1/' }).kvs)).toEqual(['/registry/pods/ns1/a', '/registry/pods/ns1/b']);
    expect(keys(s.range({ prefix: '/registry/pods/' }).kvs)).toEqual([
      '/registry/pods/ns1/a',
      '/registry/pods/ns1/b',
      '/registry/pods/ns1x/d',
      '/registry/pods/ns2/c',
    ]);
    expect(s.range({ prefix: '' }).count).toBe(6);
    expect(s.range({ prefix: '/registry/zzz/' })).toMatchObject({ kvs: [], count: 0, more: false });
  });

  it('limit with continuation pages through a prefix; count is what remains from the page start', () => {
    const s = createKvStore();
    const all = Array.from({ length: 25 }, (_, i) => `/p/${String(i).padStart(3, '0')}`);
    for (const k of [...all].reverse()) put(s, k, 'v');
    put(s, '/q', 'outside');
    const seen: string[] = [];
    const counts: number[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const q: RangeQuery = startAfter === undefined ? { prefix: '/p/', limit: 10 } : { prefix: '/p/', limit: 10, startAfter };
      const page = s.range(q);
      seen.push(...keys(page.kvs));
      counts.push(page.count);
      if (!page.more) break;
      startAfter = page.kvs[page.kvs.length - 1]!.key;
    }
    expect(seen).toEqual(all);
    expect(counts).toEqual([25, 15, 5]);
  });

  it('startAfter before the prefix starts at the prefix; after it, the range is empty', () => {
    const s = registry();
    expect(s.range({ prefix: '/registry/pods/ns1/', startAfter: '/a' }).count).toBe(2);
    expect(s.range({ prefix: '/registry/pods/ns1/', startAfter: '/z' })).toMatchObject({ kvs: [], count: 0 });
    expect(s.range({ key: '/registry/nodes/n1', startAfter: '/registry/nodes/n1' }).count).toBe(0);
  });

  it('countOnly and keysOnly', () => {
    const s = registry();
    expect(s.range({ prefix: '/registry/pods/', countOnly: true })).toMatchObject({ kvs: [], count: 4, more: false });
    const r = s.range({ prefix: '/registry/nodes/', keysOnly: true });
    expect(r.kvs).toEqual([{ key: '/registry/nodes/n1', value: new Uint8Array(0), createRevision: 6, modRevision: 6, version: 1 }]);
  });

  it('at a past revision: the keys and versions as they were', () => {
    const s = createKvStore();
    put(s, 'p/a', 'a1'); // 2
    put(s, 'p/b', 'b1'); // 3
    put(s, 'p/a', 'a2'); // 4
    del(s, 'p/b'); // 5
    put(s, 'p/c', 'c1'); // 6
    expect(pairs(s.range({ prefix: 'p/', revision: 1 }).kvs)).toEqual([]);
    expect(pairs(s.range({ prefix: 'p/', revision: 3 }).kvs)).toEqual(['p/a=a1', 'p/b=b1']);
    expect(pairs(s.range({ prefix: 'p/', revision: 4 }).kvs)).toEqual(['p/a=a2', 'p/b=b1']);
    expect(pairs(s.range({ prefix: 'p/', revision: 5 }).kvs)).toEqual(['p/a=a2']);
    expect(pairs(s.range({ prefix: 'p/' }).kvs)).toEqual(['p/a=a2', 'p/c=c1']);
    const past = s.range({ prefix: 'p/', revision: 4, limit: 1 });
    expect(past).toMatchObject({ revision: 4, count: 2, more: true });
    expect(s.range({ prefix: 'p/', revision: 4, limit: 1, startAfter: 'p/a' }).kvs.map((kv) => kv.version)).toEqual([1]);
    expect(s.get('p/a', 3)).toMatchObject({ version: 1, modRevision: 2 });
    expect(s.get('p/b', 5)).toBeUndefined();
    expect(s.range({ prefix: 'p/', revision: 6 }).revision).toBe(6); // the current one, named
  });

  it('a compacted revision throws CompactedRevisionError naming both revisions', () => {
    const s = createKvStore();
    for (let i = 0; i < 5; i++) put(s, 'k', String(i)); // 2..6
    s.applyCommand({ type: 'compact', revision: 4 });
    expect(s.range({ key: 'k', revision: 4 }).kvs[0]?.version).toBe(3);
    let err: unknown;
    try {
      s.range({ key: 'k', revision: 3 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompactedRevisionError);
    expect(err).toMatchObject({ code: 'COMPACTED', requestedRevision: 3, compactRevision: 4 });
    expect((err as Error).message).toBe('revision 3 has been compacted (the oldest readable revision is 4)');
    expect(() => s.get('k', 2)).toThrow(CompactedRevisionError);
  });

  it('a revision ahead of the store throws FutureRevisionError', () => {
    const s = registry();
    expect(() => s.range({ prefix: '', revision: 8 })).toThrow(FutureRevisionError);
    expect(() => s.range({ prefix: '', revision: 8 })).toThrow('revision 8 is ahead of the store (current revision 7)');
  });

  it('bad arguments throw InvalidRequestError naming the field', () => {
    const s = registry();
    expect(() => s.range({ prefix: '', limit: -1 })).toThrow(InvalidRequestError);
    expect(() => s.range({ prefix: '', limit: 1.5 })).toThrow('invalid store request: limit');
    expect(() => s.range({ prefix: '', revision: -2 })).toThrow('invalid store request: revision');
    expect(() => s.range({ key: '' })).toThrow('invalid store request: key: must not be empty');
    expect(() => s.range({ key: 'a', prefix: 'a' } as unknown as RangeQuery)).toThrow('exactly one of key and prefix');
  });

  it('prefix ranges do not depend on insertion order, across many keys', () => {
    const s = createKvStore();
    const names: string[] = [];
    for (let i = 0; i < 3000; i++) names.push(`/r/${(i * 7919) % 3000}`);
    for (const n of names) put(s, n, 'v');
    for (let i = 0; i < 3000; i += 3) del(s, `/r/${i}`);
    const expected = names.filter((n) => Number(n.slice(3)) % 3 !== 0).sort();
    expect(keys(s.range({ prefix: '/r/' }).kvs)).toEqual(expected);
    expect(s.range({ prefix: '/r/1' }).count).toBe(expected.filter((k) => k.startsWith('/r/1')).length);
  });
});
