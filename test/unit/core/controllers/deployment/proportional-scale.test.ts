import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proportionalSplit } from '../../../../../core/controllers/deployment/proportional-scale.js';

describe('proportionalSplit', () => {
  it.each<[number[], number, number[]]>([
    [[4, 2], 10, [7, 3]],
    [[1, 1], 3, [2, 1]], // a tie goes to the first (the newer set)
    [[6, 4], 5, [3, 2]],
    [[3], 8, [8]],
    [[5, 5], 0, [0, 0]],
  ])('%j to %i -> %j', (sizes, total, expected) => {
    expect(proportionalSplit(sizes, total)).toEqual(expected);
  });

  it('always sums to the total and each share is within one of its exact proportion', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 200 }), (sizes, total) => {
        const shares = proportionalSplit(sizes, total);
        const sum = sizes.reduce((a, b) => a + b, 0);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
        shares.forEach((share, i) => {
          expect(Math.abs(share - ((sizes[i] ?? 0) * total) / sum)).toBeLessThan(1);
        });
      }),
    );
  });
});
