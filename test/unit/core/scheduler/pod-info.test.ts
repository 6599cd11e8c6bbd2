import { describe, expect, it } from 'vitest';
import { formatHostPortKey, hostPortKey, isPodInfo, podInfoOf, podKeyOf } from '../../../../core/scheduler/index.js';
import { makePod } from './fixtures.js';

describe('podInfoOf', () => {
  it('sums requests (defaulting to limits) and adds scoring defaults only where a container requests nothing', () => {
    const pod = makePod('p', {
      containers: [
        { name: 'a', image: 'i', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { name: 'b', image: 'i', resources: { limits: { cpu: '1' } } },
        { name: 'c', image: 'i' },
      ],
    });
    const info = podInfoOf(pod);
    expect([info.cpuMillis, info.memoryBytes]).toEqual([1250, 64 * 2 ** 20]);
    expect([info.nonZeroCpuMillis, info.nonZeroMemoryBytes]).toEqual([1250 + 100, (64 + 200 + 200) * 2 ** 20]);
  });

  it('collects host ports per protocol, once each', () => {
    const info = podInfoOf(makePod('p', { hostPorts: [80, { port: 80, protocol: 'UDP' }, 80] }));
    expect(info.hostPorts.map(formatHostPortKey)).toEqual(['80/TCP', '80/UDP']);
    expect(hostPortKey(undefined, 80)).toBe(hostPortKey('TCP', 80));
  });

  it('finds the controller owner and keys the pod by namespace/name', () => {
    const info = podInfoOf(makePod('p', { namespace: 'prod', owner: 'rs-uid' }));
    expect([info.key, info.controllerUid, info.uid]).toEqual(['prod/p', 'rs-uid', 'uid-p']);
    expect(podKeyOf(makePod('q'))).toBe('default/q');
    expect(podInfoOf(makePod('q')).controllerUid).toBeUndefined();
  });

  it("resolves affinity terms' namespaces to the pod's own when none are listed", () => {
    const info = podInfoOf(
      makePod('p', {
        namespace: 'prod',
        affinity: {
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {}, topologyKey: 'zone' }] },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 7, podAffinityTerm: { labelSelector: {}, namespaces: ['a', 'b'], topologyKey: 'host' } }],
          },
        },
      }),
    );
    expect([...info.requiredAffinityTerms[0]!.namespaces]).toEqual(['prod']);
    expect(info.preferredAntiAffinityTerms[0]).toMatchObject({ weight: 7, topologyKey: 'host' });
    expect([...info.preferredAntiAffinityTerms[0]!.namespaces]).toEqual(['a', 'b']);
    expect(info.requiredAntiAffinityTerms).toEqual([]);
  });

  it('tells PodInfos from Pods', () => {
    const pod = makePod('p');
    expect(isPodInfo(pod)).toBe(false);
    expect(isPodInfo(podInfoOf(pod))).toBe(true);
  });
});
