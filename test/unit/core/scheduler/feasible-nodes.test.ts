import { describe, expect, it } from 'vitest';
import { numFeasibleNodesToFind } from '../../../../core/scheduler/index.js';

describe('numFeasibleNodesToFind', () => {
  it.each<[number, number | undefined, number]>([
    [0, undefined, 0],
    [50, undefined, 50],
    [100, undefined, 100],
    [101, undefined, 100], // 49.2% of 101 = 49 -> at least 100
    [250, undefined, 120], // 48%
    [1_000, undefined, 420], // 42%
    [5_000, undefined, 500], // 10%
    [6_000, undefined, 300], // floor of 5%
    [20_000, undefined, 1_000], // 5%
    [1_000, 100, 1_000], // score all
    [1_000, 10, 100], // 10% but never below 100
    [1_000, 30, 300],
    [50, 10, 50], // small clusters: all
  ])('%i nodes at %s%% -> %i', (nodes, percentage, expected) => {
    expect(numFeasibleNodesToFind(nodes, percentage)).toBe(expected);
  });
});
