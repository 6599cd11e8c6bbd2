import { describe, expect, it } from 'vitest';
import { checkRegister, type RegisterOp } from '../../../chaos/checkers/linearizability.js';

const w = (value: string, invokeMs: number, completeMs: number): RegisterOp => ({ kind: 'write', value, invokeMs, completeMs });
const r = (value: string | null, invokeMs: number, completeMs: number): RegisterOp => ({ kind: 'read', value, invokeMs, completeMs });
const INF = Number.POSITIVE_INFINITY;

describe('the register linearizability checker', () => {
  it.each([
    ['sequential write then read', [w('a', 0, 1), r('a', 2, 3)], true],
    ['a read of the initial value', [r(null, 0, 1)], true],
    ['a stale read after a write completed', [w('a', 0, 1), r(null, 2, 3)], false],
    ['a read concurrent with a write may see either', [w('a', 0, 10), r(null, 1, 2), r('a', 3, 4)], true],
    ['once a read saw the new value, a later read may not see the old', [w('a', 0, 10), r('a', 1, 2), r(null, 3, 4)], false],
    ['a value nobody wrote', [w('a', 0, 1), r('b', 2, 3)], false],
    ['an unknown write may have happened', [w('a', 0, INF), r('a', 5, 6)], true],
    ['an unknown write may not have happened', [w('a', 0, INF), r(null, 5, 6)], true],
    ['but not both ways in sequence', [w('a', 0, INF), r('a', 5, 6), r(null, 7, 8)], false],
    ['two concurrent writes in either order', [w('a', 0, 5), w('b', 1, 4), r('a', 6, 7)], true],
  ] as const)('%s', (_name, history, ok) => {
    expect(checkRegister(history, null).ok).toBe(ok);
  });
});
