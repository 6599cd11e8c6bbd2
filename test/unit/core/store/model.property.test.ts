import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKvStore, type KeySelector, type KvStore, type RangeOptions } from '../../../../core/store/index.js';
import { command, read } from './arbitraries.js';
import { ModelStore } from './model.js';

/**
 * The store against the reference model (model.ts) on random command
 * sequences: every result, every read at every revision still kept, and every
 * event stream must match. Deterministic per seed; fast-check prints the seed
 * and the shrunk sequence on failure.
 */

/** Runs `f` on both; both must return equal values or throw the same kind of error with the same fields. */
function same<T>(f: (x: KvStore | ModelStore) => T, store: KvStore, model: ModelStore): void {
  const run = (x: KvStore | ModelStore) => {
    try {
      return { ok: f(x) };
    } catch (e) {
      const err = e as Error & Record<string, unknown>;
      return { error: { name: err.name, message: err.message } };
    }
  };
  expect(run(store)).toEqual(run(model));
}

const rangeBoth = (sel: KeySelector, opts: RangeOptions) => (x: KvStore | ModelStore) => {
  if (x instanceof ModelStore) return x.range(sel, opts);
  const { kvs, count, more } = x.range({ ...sel, ...opts } as Parameters<KvStore['range']>[0]);
  return { kvs, count, more };
};

describe('the store against a reference model', () => {
  it('gives the same results, reads and events for random commands', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60 }), fc.array(read, { maxLength: 12 }), (cmds, reads) => {
        const store = createKvStore();
        const model = new ModelStore();
        for (const c of cmds) {
          expect(store.applyCommand(c)).toEqual(model.apply(c));
          expect(store.revision).toBe(model.revision);
          expect(store.compactRevision).toBe(model.compactRevision);
        }
        for (const r of reads) {
          const revision = Math.max(0, store.revision - r.back);
          const opts: RangeOptions = { revision, ...(r.limit === undefined ? {} : { limit: r.limit }), ...(r.startAfter === undefined ? {} : { startAfter: r.startAfter }) };
          same(rangeBoth(r.sel, opts), store, model);
          const from = Math.max(1, revision);
          same((x) => (x instanceof ModelStore ? x.eventsSince(r.sel, from) : x.eventsSince(r.sel, from).events), store, model);
        }
        // Every revision still kept reads as the model's.
        for (let rev = Math.max(1, store.compactRevision); rev <= store.revision; rev++) {
          same(rangeBoth({ prefix: '' }, { revision: rev }), store, model);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('pages of events, however cut, add up to the whole stream and never split a revision', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 4 }), (cmds, limit) => {
        const store = createKvStore();
        for (const c of cmds) store.applyCommand(c);
        const from = Math.max(1, store.compactRevision);
        const whole = store.eventsSince({ prefix: '' }, from).events;
        const paged = [];
        let next = from;
        for (;;) {
          const page = store.eventsSince({ prefix: '' }, next, { limit });
          paged.push(...page.events);
          const last = page.events[page.events.length - 1];
          if (last !== undefined) expect(page.nextRevision).toBe(last.revision + 1);
          if (!page.more) break;
          next = page.nextRevision;
        }
        expect(paged).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });
});
