import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepEqual, diffPaths } from '../../../../core/api/validation/diff.js';

// Small alphabets so that equal and nearly equal values come up often.
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(0, 1, 'a', 'b', true, null, undefined), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('value'), { maxKeys: 3 })),
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
