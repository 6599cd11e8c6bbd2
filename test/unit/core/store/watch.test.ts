import { describe, expect, it } from 'vitest';
import {
  CompactedRevisionError,
  createKvStore,
  type StoreNotification,
  type WatchEvent,
} from '../../../../core/store/index.js';
import { b, del, entryOf, put, text } from './helpers.js';

const show = (e: WatchEvent): string => `${e.revision}:${e.type}:${e.kv.key}`;

describe('watch events', () => {
  it('from a past revision, for a key and for a prefix, in revision order', () => {
    const s = createKvStore();
    put(s, 'a/1', 'x'); // 2
    put(s, 'b/1', 'x'); // 3
    put(s, 'a/2', 'x'); // 4
    del(s, 'a/1'); // 5
    put(s, 'a/1', 'y'); // 6
    expect(s.eventsSince({ prefix: 'a/' }, 1).events.map(show)).toEqual(['2:PUT:a/1', '4:PUT:a/2', '5:DELETE:a/1', '6:PUT:a/1']);
    expect(s.eventsSince({ prefix: 'a/' }, 4).events.map(show)).toEqual(['4:PUT:a/2', '5:DELETE:a/1', '6:PUT:a/1']);
    expect(s.eventsSince({ key: 'a/1' }, 3).events.map(show)).toEqual(['5:DELETE:a/1', '6:PUT:a/1']);
    expect(s.eventsSince({ prefix: '' }, 1).events.map((e) => e.revision)).toEqual([2, 3, 4, 5, 6]);
    const page = s.eventsSince({ prefix: '' }, 7);
    expect(page).toEqual({ events: [], revision: 6, nextRevision: 7, more: false });
  });

  it('events carry the new version and the one it replaced (prevKv)', () => {
    const s = createKvStore();
    put(s, 'k', 'a'); // 2
    put(s, 'k', 'b'); // 3
    del(s, 'k'); // 4
    const [created, updated, deleted] = s.eventsSince({ key: 'k' }, 2).events;
    expect(created).toEqual({ type: 'PUT', revision: 2, kv: { key: 'k', value: b('a'), createRevision: 2, modRevision: 2, version: 1 } });
    expect(updated).toMatchObject({ type: 'PUT', revision: 3, kv: { version: 2, modRevision: 3 }, prevKv: { version: 1, modRevision: 2 } });
    expect(text(updated?.prevKv)).toBe('a');
    expect(deleted).toEqual({
      type: 'DELETE',
      revision: 4,
      kv: { key: 'k', value: new Uint8Array(0), createRevision: 0, modRevision: 4, version: 0 },
      prevKv: { key: 'k', value: b('b'), createRevision: 2, modRevision: 3, version: 2 },
    });
  });

  it('a listener hears every write synchronously, after it applied, with that revision\'s events in order', () => {
    const s = createKvStore();
    const heard: string[] = [];
    s.subscribe((n) => {
      // Called after apply: the store is already at the revision it is told of.
      if (n.type === 'events') heard.push(`${n.revision}@${s.revision}:${n.events.map((e) => e.kv.key).join(',')}`);
    });
    put(s, 'a', '1');
    expect(heard).toEqual(['2@2:a']); // synchronously, before apply returned
    s.apply(entryOf({ type: 'deleteRange', prefix: '' }));
    s.apply(entryOf({ type: 'delete', key: 'nothing' })); // writes nothing: no notification
    s.apply(entryOf({ type: 'txn', success: [{ type: 'put', key: 'y', value: b('') }, { type: 'put', key: 'x', value: b('') }] }));
    expect(heard).toEqual(['2@2:a', '3@3:a', '4@4:y,x']);
  });

  it('past events then the listener, in one turn, give every revision exactly once', () => {
    const s = createKvStore();
    for (let i = 0; i < 5; i++) put(s, `k${i}`, 'v');
    const got: number[] = [];
    const page = s.eventsSince({ prefix: 'k' }, 3);
    got.push(...page.events.map((e) => e.revision));
    s.subscribe((n) => {
      if (n.type === 'events') got.push(...n.events.map((e) => e.revision));
    });
    expect(page.nextRevision).toBe(7);
    for (let i = 5; i < 8; i++) put(s, `k${i}`, 'v');
    expect(got).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('limit ends a page at a revision boundary, never inside a transaction', () => {
    const s = createKvStore();
    put(s, 'a', '1'); // 2
    s.applyCommand({
      type: 'txn',
      success: ['b', 'c', 'd'].map((key) => ({ type: 'put' as const, key, value: b('1') })),
    }); // 3
    put(s, 'e', '1'); // 4
    const first = s.eventsSince({ prefix: '' }, 1, { limit: 2 });
    expect(first.events.map(show)).toEqual(['2:PUT:a', '3:PUT:b', '3:PUT:c', '3:PUT:d']);
    expect(first).toMatchObject({ more: true, nextRevision: 4 });
    const second = s.eventsSince({ prefix: '' }, first.nextRevision, { limit: 2 });
    expect(second.events.map(show)).toEqual(['4:PUT:e']);
    expect(second).toMatchObject({ more: false, nextRevision: 5 });
  });

  it('a watch from a compacted revision throws; from the compaction revision on it is whole', () => {
    const s = createKvStore();
    for (let i = 0; i < 6; i++) put(s, 'k', String(i)); // 2..7
    s.applyCommand({ type: 'compact', revision: 5 });
    expect(() => s.eventsSince({ key: 'k' }, 4)).toThrow(CompactedRevisionError);
    expect(() => s.eventsSince({ key: 'k' }, 4)).toThrow(expect.objectContaining({ requestedRevision: 4, compactRevision: 5 }));
    expect(s.eventsSince({ key: 'k' }, 5).events.map((e) => e.revision)).toEqual([5, 6, 7]);
    // The first kept event still knows what it replaced.
    expect(text(s.eventsSince({ key: 'k' }, 5).events[0]?.prevKv)).toBe('2');
  });

  it('listeners are told of compactions and restores', () => {
    const s = createKvStore();
    put(s, 'a', '1');
    put(s, 'a', '2');
    const told: StoreNotification[] = [];
    s.subscribe((n) => told.push(n));
    s.applyCommand({ type: 'compact', revision: 3 });
    s.restore(createKvStore().snapshot());
    expect(told).toEqual([
      { type: 'compacted', compactRevision: 3 },
      { type: 'restored', revision: 1, compactRevision: 0 },
    ]);
  });

  it('unsubscribing stops notifications; a listener may unsubscribe while being told', () => {
    const s = createKvStore();
    const a: number[] = [];
    const c: number[] = [];
    const offA = s.subscribe((n) => {
      if (n.type === 'events') a.push(n.revision);
      offA();
    });
    s.subscribe((n) => n.type === 'events' && c.push(n.revision));
    put(s, 'k', '1');
    put(s, 'k', '2');
    expect(a).toEqual([2]);
    expect(c).toEqual([2, 3]);
  });

  it('a listener that throws is removed and reported; the write stands and the others still hear', () => {
    const errors: unknown[] = [];
    const s = createKvStore({ onListenerError: (e) => errors.push(e) });
    const heard: number[] = [];
    s.subscribe(() => {
      throw new Error('broken watcher');
    });
    s.subscribe((n) => n.type === 'events' && heard.push(n.revision));
    expect(put(s, 'k', '1')).toBe(2);
    put(s, 'k', '2');
    expect(heard).toEqual([2, 3]);
    expect(errors).toHaveLength(1);
    expect(s.revision).toBe(3);
  });
});
