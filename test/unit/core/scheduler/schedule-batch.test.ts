import { describe, expect, it } from 'vitest';
import { createFramework, scheduleBatch } from '../../../../core/scheduler/index.js';
import { cacheOf, firstPick, makeNode, makePod, seededPick } from './fixtures.js';

const framework = createFramework();

function countBy(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe('scheduleBatch', () => {
  it("spreads a controller's burst evenly across identical nodes", () => {
    const nodes = Array.from({ length: 10 }, (_, i) => makeNode(`n${i}`));
    const cache = cacheOf(nodes);
    const pods = Array.from({ length: 50 }, (_, i) => makePod(`web-${i}`, { owner: 'rs-web', cpu: '100m', memory: '64Mi' }));
    const result = scheduleBatch(pods, cache, { framework, pick: seededPick(1) }, 1_000);
    expect(result.placements).toHaveLength(50);
    expect(Object.values(countBy(result.placements.map((p) => p.nodeName)))).toEqual(Array(10).fill(5));
    expect(cache.assumedPodCount).toBe(50);
    expect(result.placements.map((p) => p.podKey)).toEqual(pods.map((p) => `default/${p.metadata.name}`));
  });

  it('spreads pods without an owner too (least-allocated with scoring defaults)', () => {
    const cache = cacheOf(Array.from({ length: 4 }, (_, i) => makeNode(`n${i}`)));
    const pods = Array.from({ length: 8 }, (_, i) => makePod(`p${i}`));
    const result = scheduleBatch(pods, cache, { framework, pick: firstPick }, 0);
    expect(Object.values(countBy(result.placements.map((p) => p.nodeName)))).toEqual([2, 2, 2, 2]);
  });

  it('fills capacity and never over-commits; the rest are unschedulable with the reason', () => {
    const cache = cacheOf([makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1' })]);
    const pods = Array.from({ length: 7 }, (_, i) => makePod(`p${i}`, { cpu: '300m' }));
    const result = scheduleBatch(pods, cache, { framework, pick: firstPick }, 0);
    expect(countBy(result.placements.map((p) => p.nodeName))).toEqual({ a: 3, b: 3 });
    expect(result.unschedulable.map((u) => u.podKey)).toEqual(['default/p6']);
    const rejection = result.unschedulable[0]!.result;
    expect(rejection.type === 'unschedulable' && rejection.message).toBe('0/2 nodes are available: 2 insufficient cpu.');
    for (const name of ['a', 'b']) expect(cache.nodeInfo(name)!.requestedCpuMillis).toBe(900);
  });

  it('keeps host ports unique per node across the batch', () => {
    const cache = cacheOf([makeNode('a'), makeNode('b')]);
    const pods = Array.from({ length: 3 }, (_, i) => makePod(`p${i}`, { hostPorts: [8080] }));
    const result = scheduleBatch(pods, cache, { framework, pick: firstPick }, 0);
    expect(new Set(result.placements.map((p) => p.nodeName)).size).toBe(2);
    expect(result.unschedulable.map((u) => u.result.type === 'unschedulable' && u.result.message)).toEqual([
      '0/2 nodes are available: 2 host port conflict.',
    ]);
  });

  it('honours anti-affinity between the pods of the batch', () => {
    const cache = cacheOf([makeNode('a'), makeNode('b'), makeNode('c')]);
    const pods = Array.from({ length: 4 }, (_, i) =>
      makePod(`db-${i}`, {
        labels: { app: 'db' },
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'drover.io/hostname' }] } },
      }),
    );
    const result = scheduleBatch(pods, cache, { framework, pick: firstPick }, 0);
    expect(result.placements.map((p) => p.nodeName).sort()).toEqual(['a', 'b', 'c']);
    expect(result.unschedulable).toHaveLength(1);
  });

  it('leaves pods the cache already counts alone', () => {
    const cache = cacheOf([makeNode('a')], [makePod('bound', { nodeName: 'a' })]);
    cache.assume(makePod('assumed'), 'a', 0);
    const result = scheduleBatch([makePod('bound'), makePod('assumed'), makePod('new')], cache, { framework, pick: firstPick }, 0);
    expect(result.alreadyPlaced).toEqual(['default/bound', 'default/assumed']);
    expect(result.placements.map((p) => p.podKey)).toEqual(['default/new']);
  });

  it('threads the rotation through the batch and hands it on', () => {
    const cache = cacheOf(Array.from({ length: 250 }, (_, i) => makeNode(`n${i}`)));
    const pods = Array.from({ length: 3 }, (_, i) => makePod(`p${i}`));
    const result = scheduleBatch(pods, cache, { framework, pick: firstPick, startNodeIndex: 10 }, 0);
    expect(result.nextStartNodeIndex).toBe((10 + 3 * 120) % 250);
  });
});
