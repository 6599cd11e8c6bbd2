import { describe, expect, it } from 'vitest';
import type { PreferredSchedulingTerm } from '../../../../../core/api/index.js';
import { DEFAULT_REGISTRY, NODE_AFFINITY_PREFERRED } from '../../../../../core/scheduler/index.js';
import type { ScorePlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, scoresOf } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[NODE_AFFINITY_PREFERRED]!() as ScorePlugin<unknown>;

function preferring(...terms: PreferredSchedulingTerm[]) {
  return makePod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } } });
}

describe('node-affinity-preferred score', () => {
  const cache = cacheOf([
    makeNode('ssd-a', { labels: { disk: 'ssd', zone: 'a' } }),
    makeNode('ssd-b', { labels: { disk: 'ssd', zone: 'b' } }),
    makeNode('hdd-a', { labels: { disk: 'hdd', zone: 'a' } }),
    makeNode('plain'),
  ]);

  it('sums the weights of matching terms, the best node scaled to 100', () => {
    const pod = preferring(
      { weight: 60, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      { weight: 20, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    );
    expect(scoresOf(plugin, pod, cache)).toEqual({ 'ssd-a': 100, 'ssd-b': 75, 'hdd-a': 25, plain: 0 });
  });

  it('leaves all at 0 when no node matches', () => {
    const pod = preferring({ weight: 10, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } });
    expect(scoresOf(plugin, pod, cache)).toEqual({ 'ssd-a': 0, 'ssd-b': 0, 'hdd-a': 0, plain: 0 });
  });

  it('skips pods without preferred node affinity', () => {
    expect(scoresOf(plugin, makePod('p', { nodeSelector: { disk: 'ssd' } }), cache)).toBeUndefined();
  });
});
