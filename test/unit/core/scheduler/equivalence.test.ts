import { describe, expect, it } from 'vitest';
import { createFramework, filterClassOf, ParkedPods, podFitsNode, podInfoOf, scheduleBatch } from '../../../../core/scheduler/index.js';
import { cacheOf, firstPick, makeNode, makePod } from './fixtures.js';

const framework = createFramework();
const classOf = (...args: Parameters<typeof makePod>) => filterClassOf(podInfoOf(makePod(...args)));
const affinity = (key: string) => ({
  podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: key } }, topologyKey: 'drover.io/hostname' }] },
});

describe('filterClassOf', () => {
  it('puts pods that differ only in what no filter reads (name, uid, owner) in one class', () => {
    const a = classOf('a', { cpu: '100m', nodeSelector: { disk: 'ssd', zone: 'z1' }, owner: 'rs-1' });
    const b = classOf('b', { cpu: '100m', nodeSelector: { zone: 'z1', disk: 'ssd' }, owner: 'rs-2', uid: 'other' });
    expect(a).toBeDefined();
    expect(b).toBe(a);
  });

  it('tells apart pods whose requests, selector, tolerations, ports, labels or namespace differ', () => {
    const base = classOf('p', { cpu: '100m' });
    const others = [
      classOf('p', { cpu: '200m' }),
      classOf('p', { cpu: '100m', memory: '1Mi' }),
      classOf('p', { cpu: '100m', nodeSelector: { disk: 'ssd' } }),
      classOf('p', { cpu: '100m', tolerations: [{ key: 'k', operator: 'Exists' }] }),
      classOf('p', { cpu: '100m', hostPorts: [80] }),
      classOf('p', { cpu: '100m', labels: { app: 'x' } }),
      classOf('p', { cpu: '100m', namespace: 'other' }),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('gives a pod with required pod affinity no class (another pod can make a node fit it)', () => {
    expect(classOf('p', { affinity: affinity('db') })).toBeUndefined();
  });
});

describe('scheduleBatch with equivalence classes', () => {
  it('gives the rest of a class the verdict of its first pod that fits nowhere, without filtering them', () => {
    const cache = cacheOf([makeNode('a', { cpu: '1' })]);
    const pods = Array.from({ length: 6 }, (_, i) => makePod(`p${i}`, { cpu: '300m' }));
    const result = scheduleBatch(pods, cache, { framework, pick: firstPick }, 0);
    expect(result.placements.map((p) => p.podKey)).toEqual(['default/p0', 'default/p1', 'default/p2']);
    const verdicts = result.unschedulable.map((u) => u.result);
    expect(verdicts).toHaveLength(3);
    // One verdict object shared: the second and third were not scheduled again.
    expect(verdicts[1]).toBe(verdicts[0]);
    expect(verdicts[2]).toBe(verdicts[0]);
  });

  it('still tries a smaller pod after a bigger one found no room', () => {
    const cache = cacheOf([makeNode('a', { cpu: '1' })]);
    const pods = [makePod('big', { cpu: '2' }), makePod('small', { cpu: '100m' }), makePod('big2', { cpu: '2' })];
    const result = scheduleBatch(pods, cache, { framework, pick: firstPick }, 0);
    expect(result.placements.map((p) => p.podKey)).toEqual(['default/small']);
    expect(result.unschedulable.map((u) => u.podKey)).toEqual(['default/big', 'default/big2']);
  });

  it('carries verdicts from one call to the next through the map passed in', () => {
    const cache = cacheOf([makeNode('a', { cpu: '1' })]);
    const unfit = new Map();
    scheduleBatch([makePod('p0', { cpu: '2' })], cache, { framework, pick: firstPick }, 0, unfit);
    expect(unfit.size).toBe(1);
    const second = scheduleBatch([makePod('p1', { cpu: '2' })], cache, { framework, pick: firstPick }, 0, unfit);
    expect(second.unschedulable[0]!.result).toBe([...unfit.values()][0]);
  });
});

describe('podFitsNode', () => {
  it('runs every filter against the one node', () => {
    const cache = cacheOf([makeNode('small', { cpu: '1' }), makeNode('tainted', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), makeNode('ok')]);
    const pod = podInfoOf(makePod('p', { cpu: '2' }));
    expect(podFitsNode(pod, cache.nodeInfo('small')!, cache, framework)).toBe(false);
    expect(podFitsNode(pod, cache.nodeInfo('tainted')!, cache, framework)).toBe(false);
    expect(podFitsNode(pod, cache.nodeInfo('ok')!, cache, framework)).toBe(true);
  });
});

describe('ParkedPods', () => {
  it('wakes only the classes that fit, asking once per class, oldest first; classless pods always wake', () => {
    const parked = new ParkedPods();
    parked.set('default/big-0', makePod('big-0', { cpu: '4' }));
    parked.set('default/small-0', makePod('small-0', { cpu: '100m' }));
    parked.set('default/big-1', makePod('big-1', { cpu: '4' }));
    parked.set('default/aff', makePod('aff', { affinity: affinity('db') }));
    parked.set('default/small-1', makePod('small-1', { cpu: '100m' }));
    const asked: string[] = [];
    const woken = parked.takeFitting((rep) => {
      asked.push(rep.key);
      return rep.cpuMillis < 1_000;
    });
    expect(asked).toEqual(['default/big-0', 'default/small-0']);
    expect(woken.map((p) => p.metadata.name)).toEqual(['small-0', 'aff', 'small-1']);
    expect(parked.size).toBe(2);
    expect(parked.has('default/big-1')).toBe(true);
    expect(parked.takeAll().map((p) => p.metadata.name)).toEqual(['big-0', 'big-1']);
    expect(parked.size).toBe(0);
  });

  it('replaces a parked pod in place, under its new class', () => {
    const parked = new ParkedPods();
    parked.set('default/a', makePod('a', { cpu: '4' }));
    parked.set('default/b', makePod('b', { cpu: '4' }));
    parked.set('default/a', makePod('a', { cpu: '100m' }));
    expect(parked.takeFitting((rep) => rep.cpuMillis < 1_000).map((p) => p.metadata.name)).toEqual(['a']);
    parked.delete('default/b');
    expect(parked.size).toBe(0);
  });
});
