import { describe, expect, it } from 'vitest';
import type { WeightedPodAffinityTerm } from '../../../../../core/api/index.js';
import { DEFAULT_REGISTRY, POD_AFFINITY_PREFERRED } from '../../../../../core/scheduler/index.js';
import type { ScorePlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, scoresOf } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[POD_AFFINITY_PREFERRED]!() as ScorePlugin<unknown>;

function weighted(weight: number, app: string, topologyKey: string): WeightedPodAffinityTerm {
  return { weight, podAffinityTerm: { labelSelector: { matchLabels: { app } }, topologyKey } };
}

describe('pod-affinity-preferred score', () => {
  // Zone a: a1 (2 db), a2; zone b: b1 (1 db, 1 cache); `none` has no zone.
  const cache = cacheOf(
    [makeNode('a1', { labels: { zone: 'a' } }), makeNode('a2', { labels: { zone: 'a' } }), makeNode('b1', { labels: { zone: 'b' } }), makeNode('none')],
    [
      makePod('db-1', { nodeName: 'a1', labels: { app: 'db' } }),
      makePod('db-2', { nodeName: 'a1', labels: { app: 'db' } }),
      makePod('db-3', { nodeName: 'b1', labels: { app: 'db' } }),
      makePod('cache-1', { nodeName: 'b1', labels: { app: 'cache' } }),
    ],
  );

  it('prefers domains with more selected pods (affinity)', () => {
    const pod = makePod('web', { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(10, 'db', 'zone')] } } });
    // Raw: a1 20, a2 20, b1 10, none 0 -> min-max.
    expect(scoresOf(plugin, pod, cache)).toEqual({ a1: 100, a2: 100, b1: 50, none: 0 });
  });

  it('avoids domains with selected pods (anti-affinity)', () => {
    const pod = makePod('web', { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(10, 'db', 'zone')] } } });
    // Raw: a1 -20, a2 -20, b1 -10, none 0.
    expect(scoresOf(plugin, pod, cache)).toEqual({ a1: 0, a2: 0, b1: 50, none: 100 });
  });

  it('weighs affinity against anti-affinity', () => {
    const pod = makePod('web', {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(50, 'cache', 'drover.io/hostname')] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(10, 'db', 'zone')] },
      },
    });
    // Raw: a1 -20, a2 -20, b1 50 - 10 = 40, none 0.
    expect(scoresOf(plugin, pod, cache)).toEqual({ a1: 0, a2: 0, b1: 100, none: (20 * 100) / 60 });
  });

  it('skips pods without preferred terms, and when no pod is selected anywhere', () => {
    expect(scoresOf(plugin, makePod('web'), cache)).toBeUndefined();
    const pod = makePod('web', { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(10, 'nothing', 'zone')] } } });
    expect(scoresOf(plugin, pod, cache)).toBeUndefined();
  });
});
