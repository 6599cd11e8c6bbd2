import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeySet } from '../../../../core/store/sorted-key-set.js';

// Internal, but the range code leans on it: checked against a sorted array.

type Op = { add: string } | { del: string };

const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '/', 'z'), maxLength: 6 });
const ops = fc.array(fc.oneof(key.map((k): Op => ({ add: k })), key.map((k): Op => ({ del: k }))), { maxLength: 400 });

function model(list: readonly Op[]): string[] {
  const set = new Set<string>();
  for (const op of list) {
    if ('add' in op) set.add(op.add);
    else set.delete(op.del);
  }
  return [...set].sort();
}

describe('SortedKeySet', () => {
  it('holds the keys of a set, in order, with ranks and scans from any bound', () => {
    fc.assert(
      fc.property(ops, key, key, (list, probe, prefix) => {
        const s = new SortedKeySet();
        for (const op of list) {
          if ('add' in op) s.add(op.add);
          else s.delete(op.del);
        }
        const sorted = model(list);
        expect(s.keys()).toEqual(sorted);
        expect(s.size).toBe(sorted.length);
        expect(s.has(probe)).toBe(sorted.includes(probe));
        expect(s.rank((k) => k < probe)).toBe(sorted.filter((k) => k < probe).length);
        const scanned: string[] = [];
        s.scan(
          (k) => k < prefix,
          (k) => k.startsWith(prefix) && scanned.push(k) > 0,
        );
        expect(scanned).toEqual(sorted.filter((k) => k.startsWith(prefix)));
      }),
      { numRuns: 300 },
    );
  });

  it('splits and merges chunks under churn of many keys', () => {
    const s = new SortedKeySet();
    const model = new Set<string>();
    const name = (i: number) => `k${(i * 7919) % 5000}`;
    for (let i = 0; i < 5000; i++) {
      expect(s.add(name(i))).toBe(true);
      model.add(name(i));
    }
    expect(s.add(name(3))).toBe(false);
    for (let i = 0; i < 5000; i += 1 + (i % 3)) {
      expect(s.delete(name(i))).toBe(true);
      model.delete(name(i));
    }
    expect(s.delete('absent')).toBe(false);
    expect(s.keys()).toEqual([...model].sort());
    expect(s.rank(() => true)).toBe(model.size);
    expect(SortedKeySet.fromSorted(s.keys()).keys()).toEqual(s.keys());
  });

  it('fromSorted refuses keys out of order', () => {
    expect(() => SortedKeySet.fromSorted(['b', 'a'])).toThrow('not strictly ascending');
  });
});
