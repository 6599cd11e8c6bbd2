import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqual, diffPaths, sameJson } from '../../../../core/api/validation/diff.js';

// Small alphabets so that equal and nearly equal values come up often.
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(0, 1, 'a', 'b', true, null, undefined), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('value'), { maxKeys: 3 })),
})).value;

// The same, without undefined: plain JSON, where sameJson and deepEqual agree.
const plainJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(0, 1, 'a', 'b', true, null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('value'), { maxKeys: 3 })),
})).value;

describe('deepEqual', () => {
  it('agrees with diffPaths on every pair of values', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(deepEqual(a, b)).toBe(diffPaths(a, b, 1).length === 0);
        expect(deepEqual(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('sameJson', () => {
  it('is deepEqual on JSON data without undefined values', () => {
    fc.assert(
      fc.property(plainJson, plainJson, (a, b) => {
        expect(sameJson(a, b)).toBe(deepEqual(a, b));
        expect(sameJson(a, structuredClone(a))).toBe(true);
      }),
    );
  });

  it('tells a key set to undefined from a missing one, and other objects from plain ones', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson({ a: new Date(0) }, { a: {} })).toBe(false);
    expect(sameJson(new Map(), {})).toBe(false);
    expect(sameJson({}, Object.create(null))).toBe(true);
    expect(sameJson([1, [2, { c: 'x' }]], [1, [2, { c: 'x' }]])).toBe(true);
  });
});
