import { describe, expect, it } from 'vitest';
import type { Taint } from '../../../../../core/api/index.js';
import { DEFAULT_REGISTRY, TAINT_PREFER_NO_SCHEDULE } from '../../../../../core/scheduler/index.js';
import type { ScorePlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, scoresOf } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[TAINT_PREFER_NO_SCHEDULE]!() as ScorePlugin<unknown>;

const spot: Taint = { key: 'spot', effect: 'PreferNoSchedule' };
const old: Taint = { key: 'old-kernel', value: 'yes', effect: 'PreferNoSchedule' };
const hard: Taint = { key: 'gpu', effect: 'NoSchedule' };

describe('taint-prefer-no-schedule score', () => {
  const cache = cacheOf([makeNode('clean'), makeNode('one', { taints: [spot, hard] }), makeNode('two', { taints: [spot, old] })]);

  it('prefers fewer untolerated PreferNoSchedule taints, ignoring other effects', () => {
    expect(scoresOf(plugin, makePod('p'), cache)).toEqual({ clean: 100, one: 50, two: 0 });
  });

  it('does not count tolerated taints; a NoSchedule toleration does not tolerate PreferNoSchedule', () => {
    expect(scoresOf(plugin, makePod('p', { tolerations: [{ key: 'spot', operator: 'Exists' }] }), cache)).toEqual({ clean: 100, one: 100, two: 0 });
    expect(scoresOf(plugin, makePod('p', { tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }] }), cache)).toEqual({
      clean: 100,
      one: 50,
      two: 0,
    });
    expect(scoresOf(plugin, makePod('p', { tolerations: [{ operator: 'Exists' }] }), cache)).toEqual({ clean: 100, one: 100, two: 100 });
  });

  it('skips when no node has a PreferNoSchedule taint', () => {
    const plain = cacheOf([makeNode('a', { taints: [hard] }), makeNode('b')]);
    expect(scoresOf(plugin, makePod('p'), plain)).toBeUndefined();
    plain.upsertNode(makeNode('b', { taints: [spot] }));
    expect(scoresOf(plugin, makePod('p'), plain)).toEqual({ a: 100, b: 0 });
    plain.upsertNode(makeNode('b'));
    expect(scoresOf(plugin, makePod('p'), plain)).toBeUndefined();
  });
});
