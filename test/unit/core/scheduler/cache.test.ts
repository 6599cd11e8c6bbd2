import { describe, expect, it } from 'vitest';
import { SchedulerCache, SchedulerCacheError } from '../../../../core/scheduler/index.js';
import { makeNode, makePod } from './fixtures.js';

function nodeUse(cache: SchedulerCache, name: string) {
  const node = cache.nodeInfo(name);
  return node === undefined ? undefined : { pods: node.podCount, cpu: node.requestedCpuMillis, memory: node.requestedMemoryBytes };
}

function withNodes(...names: string[]): SchedulerCache {
  const cache = new SchedulerCache({ assumedPodTtlMs: 30_000 });
  for (const name of names) cache.upsertNode(makeNode(name));
  return cache;
}

describe('SchedulerCache: nodes', () => {
  it('lists nodes in the order they first appeared; updates keep the place', () => {
    const cache = withNodes('a', 'b', 'c');
    cache.upsertNode(makeNode('a', { cpu: '8' }));
    expect(cache.nodeInfos.map((n) => n.name)).toEqual(['a', 'b', 'c']);
    expect(cache.nodeInfo('a')!.allocatableCpuMillis).toBe(8000);
  });

  it('drops a removed node from the list; its pods stay counted on a ghost until they go', () => {
    const cache = withNodes('a', 'b', 'c');
    cache.upsertPod(makePod('p', { nodeName: 'b', cpu: '1' }));
    cache.removeNode('b');
    expect(cache.nodeInfos.map((n) => n.name)).toEqual(['a', 'c']);
    expect(nodeUse(cache, 'b')).toEqual({ pods: 1, cpu: 1000, memory: 0 });
    expect(cache.nodeInfo('b')!.node).toBeUndefined();
    cache.removePod('default/p');
    expect(cache.nodeInfo('b')).toBeUndefined();
    cache.upsertNode(makeNode('b'));
    expect(cache.nodeInfos.map((n) => n.name)).toEqual(['a', 'c', 'b']);
  });

  it('counts pods bound to a node it has not seen yet, once the node arrives', () => {
    const cache = withNodes();
    cache.upsertPod(makePod('p', { nodeName: 'late', memory: '1Gi' }));
    expect(cache.nodeInfos).toHaveLength(0);
    cache.upsertNode(makeNode('late'));
    expect(nodeUse(cache, 'late')).toEqual({ pods: 1, cpu: 0, memory: 1024 ** 3 });
  });
});

describe('SchedulerCache: bound pods', () => {
  it('counts a bound pod on its node and moves it on update', () => {
    const cache = withNodes('a', 'b');
    cache.upsertPod(makePod('p', { nodeName: 'a', cpu: '1' }));
    cache.upsertPod(makePod('p', { nodeName: 'a', cpu: '1' }));
    expect(nodeUse(cache, 'a')).toEqual({ pods: 1, cpu: 1000, memory: 0 });
    cache.upsertPod(makePod('p', { nodeName: 'b', cpu: '1' }));
    expect(nodeUse(cache, 'a')).toEqual({ pods: 0, cpu: 0, memory: 0 });
    expect(nodeUse(cache, 'b')).toEqual({ pods: 1, cpu: 1000, memory: 0 });
  });

  it('ignores unbound pods', () => {
    const cache = withNodes('a');
    cache.upsertPod(makePod('p', { cpu: '1' }));
    expect(cache.podCount).toBe(0);
  });

  it.each(['Succeeded', 'Failed'] as const)('stops counting a pod once it is %s', (phase) => {
    const cache = withNodes('a');
    cache.upsertPod(makePod('p', { nodeName: 'a', cpu: '1', phase: 'Running' }));
    cache.upsertPod(makePod('p', { nodeName: 'a', cpu: '1', phase }));
    expect(nodeUse(cache, 'a')).toEqual({ pods: 0, cpu: 0, memory: 0 });
    expect(cache.placementOf('default/p')).toBeUndefined();
  });

  it('removes a pod, but not a newer incarnation on a stale delete', () => {
    const cache = withNodes('a');
    cache.upsertPod(makePod('p', { nodeName: 'a', uid: 'new' }));
    cache.removePod('default/p', 'old');
    expect(nodeUse(cache, 'a')!.pods).toBe(1);
    cache.removePod('default/p', 'new');
    expect(nodeUse(cache, 'a')!.pods).toBe(0);
  });

  it('a pod recreated under the same name replaces the old one', () => {
    const cache = withNodes('a', 'b');
    cache.upsertPod(makePod('p', { nodeName: 'a', uid: 'one', cpu: '1' }));
    cache.upsertPod(makePod('p', { nodeName: 'b', uid: 'two', cpu: '2' }));
    expect(nodeUse(cache, 'a')).toEqual({ pods: 0, cpu: 0, memory: 0 });
    expect(nodeUse(cache, 'b')).toEqual({ pods: 1, cpu: 2000, memory: 0 });
    // Even unbound, the new uid ends the old pod.
    cache.upsertPod(makePod('p', { uid: 'three' }));
    expect(nodeUse(cache, 'b')!.pods).toBe(0);
  });

  it('keeps pods apart by namespace', () => {
    const cache = withNodes('a');
    cache.upsertPod(makePod('p', { nodeName: 'a', namespace: 'x' }));
    cache.upsertPod(makePod('p', { nodeName: 'a', namespace: 'y' }));
    expect(nodeUse(cache, 'a')!.pods).toBe(2);
    expect(cache.placementOf('x/p')).toMatchObject({ nodeName: 'a', assumed: false });
  });
});

describe('SchedulerCache: assumed placements', () => {
  it('counts an assumed pod at once', () => {
    const cache = withNodes('a');
    cache.assume(makePod('p', { cpu: '1' }), 'a', 1_000);
    expect(nodeUse(cache, 'a')).toEqual({ pods: 1, cpu: 1000, memory: 0 });
    expect(cache.isAssumed('default/p')).toBe(true);
    expect(cache.placementOf('default/p')).toEqual({ podKey: 'default/p', uid: 'uid-p', nodeName: 'a', assumed: true });
  });

  it('is confirmed when the pod is seen bound, and then neither forgotten nor expired', () => {
    const cache = withNodes('a');
    cache.assume(makePod('p', { cpu: '1' }), 'a', 1_000);
    cache.upsertPod(makePod('p', { cpu: '1', nodeName: 'a' }));
    expect(cache.isAssumed('default/p')).toBe(false);
    expect(cache.forget('default/p')).toBe(false);
    expect(cache.expire(1_000_000)).toEqual([]);
    expect(nodeUse(cache, 'a')).toEqual({ pods: 1, cpu: 1000, memory: 0 });
  });

  it('moves when the pod is seen bound to another node', () => {
    const cache = withNodes('a', 'b');
    cache.assume(makePod('p', { cpu: '1' }), 'a', 0);
    cache.upsertPod(makePod('p', { cpu: '1', nodeName: 'b' }));
    expect(nodeUse(cache, 'a')!.pods).toBe(0);
    expect(nodeUse(cache, 'b')!.pods).toBe(1);
  });

  it('stays assumed while updates show the pod still unbound (the bind is in flight)', () => {
    const cache = withNodes('a');
    cache.assume(makePod('p', { cpu: '1' }), 'a', 0);
    cache.upsertPod(makePod('p', { cpu: '1' }));
    expect(cache.isAssumed('default/p')).toBe(true);
    expect(nodeUse(cache, 'a')!.pods).toBe(1);
  });

  it('forget frees the resources of a failed bind', () => {
    const cache = withNodes('a');
    cache.assume(makePod('p', { cpu: '1' }), 'a', 0);
    expect(cache.forget('default/p', 'some-other-uid')).toBe(false);
    expect(cache.forget('default/p')).toBe(true);
    expect(nodeUse(cache, 'a')).toEqual({ pods: 0, cpu: 0, memory: 0 });
    expect(cache.forget('default/p')).toBe(false);
  });

  it('expires assumptions older than the TTL, oldest first, and returns them', () => {
    const cache = withNodes('a');
    cache.assume(makePod('old'), 'a', 1_000);
    cache.assume(makePod('new'), 'a', 20_000);
    expect(cache.expire(30_999)).toEqual([]);
    const expired = cache.expire(31_000);
    expect(expired.map((e) => [e.podKey, e.nodeName, e.assumedAtMs])).toEqual([['default/old', 'a', 1_000]]);
    expect(expired[0]!.pod.metadata.name).toBe('old');
    expect(nodeUse(cache, 'a')!.pods).toBe(1);
    expect(cache.expire(60_000).map((e) => e.podKey)).toEqual(['default/new']);
    expect(cache.assumedPodCount).toBe(0);
  });

  it('honours a TTL given as an option', () => {
    const cache = new SchedulerCache({ assumedPodTtlMs: 100 });
    cache.upsertNode(makeNode('a'));
    cache.assume(makePod('p'), 'a', 0);
    expect(cache.expire(100).map((e) => e.podKey)).toEqual(['default/p']);
  });

  it('a deleted pod ends its assumption', () => {
    const cache = withNodes('a');
    cache.assume(makePod('p', { cpu: '1' }), 'a', 0);
    cache.removePod('default/p', 'uid-p');
    expect(cache.isAssumed('default/p')).toBe(false);
    expect(nodeUse(cache, 'a')!.pods).toBe(0);
  });

  it('a finished pod ends its assumption', () => {
    const cache = withNodes('a');
    cache.assume(makePod('p'), 'a', 0);
    cache.upsertPod(makePod('p', { phase: 'Failed' }));
    expect(cache.placementOf('default/p')).toBeUndefined();
  });

  it('an assumption for a recreated pod (another uid) is not confirmed by the new pod', () => {
    const cache = withNodes('a', 'b');
    cache.assume(makePod('p', { uid: 'one', cpu: '1' }), 'a', 0);
    cache.upsertPod(makePod('p', { uid: 'two', cpu: '1', nodeName: 'b' }));
    expect(cache.placementOf('default/p')).toEqual({ podKey: 'default/p', uid: 'two', nodeName: 'b', assumed: false });
    expect(nodeUse(cache, 'a')!.pods).toBe(0);
    // And the new pod's unbound update drops the old uid's assumption.
    cache.assume(makePod('q', { uid: 'one' }), 'a', 0);
    cache.upsertPod(makePod('q', { uid: 'two' }));
    expect(cache.placementOf('default/q')).toBeUndefined();
  });

  it('refuses to assume a pod already placed, or onto an unknown node', () => {
    const cache = withNodes('a');
    cache.assume(makePod('p'), 'a', 0);
    expect(() => cache.assume(makePod('p'), 'a', 0)).toThrow(SchedulerCacheError);
    cache.upsertPod(makePod('q', { nodeName: 'a' }));
    try {
      cache.assume(makePod('q'), 'a', 0);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ name: 'SchedulerCacheError', code: 'POD_ALREADY_PLACED', podKey: 'default/q', nodeName: 'a' });
    }
    expect(() => cache.assume(makePod('r'), 'nowhere', 0)).toThrow(expect.objectContaining({ code: 'NODE_NOT_FOUND' }));
    expect(cache.placementOf('default/r')).toBeUndefined();
  });

  it('lets a recreated pod (new uid) be assumed over the old entry', () => {
    const cache = withNodes('a');
    cache.assume(makePod('p', { uid: 'one', cpu: '1' }), 'a', 0);
    cache.assume(makePod('p', { uid: 'two', cpu: '2' }), 'a', 0);
    expect(nodeUse(cache, 'a')).toEqual({ pods: 1, cpu: 2000, memory: 0 });
  });
});

describe('SchedulerCache: indexes', () => {
  it('tracks pods with required anti-affinity and nodes with PreferNoSchedule taints', () => {
    const cache = withNodes('a');
    const guard = makePod('g', {
      nodeName: 'a',
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {}, topologyKey: 'zone' }] } },
    });
    cache.upsertPod(guard);
    expect(cache.podsWithRequiredAntiAffinityCount).toBe(1);
    expect(cache.nodeInfo('a')!.podsWithRequiredAntiAffinity.map((p) => p.key)).toEqual(['default/g']);
    cache.upsertPod(guard);
    expect(cache.podsWithRequiredAntiAffinityCount).toBe(1);
    cache.removePod('default/g');
    expect(cache.podsWithRequiredAntiAffinityCount).toBe(0);
    expect(cache.nodeInfo('a')!.podsWithRequiredAntiAffinity).toEqual([]);

    cache.upsertNode(makeNode('a', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }));
    cache.upsertNode(makeNode('a', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }));
    expect(cache.nodesWithPreferNoScheduleTaintsCount).toBe(1);
    cache.removeNode('a');
    expect(cache.nodesWithPreferNoScheduleTaintsCount).toBe(0);
  });

  it("keeps each node's host ports, owner counts and pod label index in step", () => {
    const cache = withNodes('a');
    cache.upsertPod(makePod('p', { nodeName: 'a', hostPorts: [80], owner: 'rs', labels: { app: 'web' } }));
    cache.assume(makePod('q', { owner: 'rs', labels: { app: 'web', tier: 'front' } }), 'a', 0);
    const node = cache.nodeInfo('a')!;
    expect(node.ownerPodCount('rs')).toBe(2);
    expect(node.podLabelValues('app')?.get('web')).toBe(2);
    expect(node.podLabelValues('tier')?.get('front')).toBe(1);
    cache.forget('default/q');
    cache.removePod('default/p');
    expect(node.ownerPodCount('rs')).toBe(0);
    expect(node.podLabelValues('app')).toBeUndefined();
    expect(node.podLabelValues('tier')).toBeUndefined();
  });
});
