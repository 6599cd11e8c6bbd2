import { describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRY, LEAST_ALLOCATED } from '../../../../../core/scheduler/index.js';
import type { ScorePlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, scoresOf } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[LEAST_ALLOCATED]!() as ScorePlugin<unknown>;

describe('least-allocated score', () => {
  it('is the mean free share of cpu and memory after adding the pod', () => {
    const cache = cacheOf([makeNode('n', { cpu: '4', memory: '8Gi' })], [makePod('a', { nodeName: 'n', cpu: '1', memory: '2Gi' })]);
    // cpu: (4000 - 2000) / 4000 = 50; memory: (8 - 4) / 8 = 50.
    expect(scoresOf(plugin, makePod('p', { cpu: '1', memory: '2Gi' }), cache)).toEqual({ n: 50 });
  });

  it('prefers the emptier node', () => {
    const cache = cacheOf(
      [makeNode('busy'), makeNode('idle')],
      [makePod('a', { nodeName: 'busy', cpu: '3', memory: '6Gi' })],
    );
    const scores = scoresOf(plugin, makePod('p', { cpu: '100m', memory: '100Mi' }), cache)!;
    expect(scores['idle']!).toBeGreaterThan(scores['busy']!);
  });

  it('counts 100m and 200Mi for a pod that requests nothing, so such pods still spread', () => {
    const cache = cacheOf([makeNode('n', { cpu: '1', memory: '1000Mi' }), makeNode('m', { cpu: '1', memory: '1000Mi' })], [makePod('a', { nodeName: 'n' })]);
    const scores = scoresOf(plugin, makePod('p'), cache)!;
    // n: cpu (1000 - 200) / 1000 = 80, memory (1000 - 400) / 1000 = 60 -> 70; m: 90 and 80 -> 85.
    expect(scores['n']).toBeCloseTo(70);
    expect(scores['m']).toBeCloseTo(85);
  });

  it('scores 0 for a resource that is full or over-committed, and for a node without allocatable', () => {
    // An explicit 0 counts as 0 (only an absent request gets the scoring default).
    const cache = cacheOf([makeNode('n', { cpu: '1', memory: '1Gi' })], [makePod('a', { nodeName: 'n', cpu: '1', memory: '0' })]);
    expect(scoresOf(plugin, makePod('p', { cpu: '1', memory: '512Mi' }), cache)).toEqual({ n: 25 });
    const bare = makeNode('bare');
    bare.status = { conditions: [{ type: 'Ready', status: 'True' }] };
    expect(scoresOf(plugin, makePod('p'), cacheOf([bare]))).toEqual({ bare: 0 });
  });
});
