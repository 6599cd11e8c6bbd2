import { describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRY, OWNER_SPREAD } from '../../../../../core/scheduler/index.js';
import type { ScorePlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, scoresOf } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[OWNER_SPREAD]!() as ScorePlugin<unknown>;

describe('owner-spread score', () => {
  const nodes = [makeNode('zero'), makeNode('one'), makeNode('two')];
  const pods = [
    makePod('rs-a', { nodeName: 'one', owner: 'rs' }),
    makePod('rs-b', { nodeName: 'two', owner: 'rs' }),
    makePod('rs-c', { nodeName: 'two', owner: 'rs' }),
    makePod('other-1', { nodeName: 'zero', owner: 'other' }),
    makePod('other-2', { nodeName: 'zero', owner: 'other' }),
  ];

  it('scores nodes by how few pods of the same controller they hold', () => {
    expect(scoresOf(plugin, makePod('rs-d', { owner: 'rs' }), cacheOf(nodes, pods))).toEqual({ zero: 100, one: 50, two: 0 });
  });

  it('gives every node 100 when the controller has no pods yet', () => {
    expect(scoresOf(plugin, makePod('new-a', { owner: 'new' }), cacheOf(nodes, pods))).toEqual({ zero: 100, one: 100, two: 100 });
  });

  it('skips pods without a controller owner', () => {
    expect(scoresOf(plugin, makePod('lonely'), cacheOf(nodes, pods))).toBeUndefined();
  });

  it('counts assumed pods and stops counting forgotten ones', () => {
    const cache = cacheOf(nodes);
    cache.assume(makePod('rs-a', { owner: 'rs' }), 'zero', 0);
    expect(scoresOf(plugin, makePod('rs-b', { owner: 'rs' }), cache)).toEqual({ zero: 0, one: 100, two: 100 });
    cache.forget('default/rs-a');
    expect(scoresOf(plugin, makePod('rs-b', { owner: 'rs' }), cache)).toEqual({ zero: 100, one: 100, two: 100 });
  });
});
