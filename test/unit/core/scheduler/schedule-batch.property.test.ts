// Whatever the cluster and the burst, scheduleBatch never over-commits a
// node nor gives one host port to two pods of a node. Checked from the
// placements and the objects alone, not from the cache's own sums.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../../core/api/index.js';
import { cpuMillisOf, memoryBytesOf } from '../../../../core/api/index.js';
import { createFramework, scheduleBatch } from '../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, seededPick } from './fixtures.js';

const nodeArb = fc.record({
  cpuMillis: fc.integer({ min: 0, max: 4000 }),
  memoryMi: fc.integer({ min: 0, max: 4096 }),
  pods: fc.integer({ min: 0, max: 8 }),
});

const podArb = fc.record({
  cpuMillis: fc.option(fc.integer({ min: 0, max: 1500 }), { nil: undefined }),
  memoryMi: fc.option(fc.integer({ min: 0, max: 1500 }), { nil: undefined }),
  hostPorts: fc.uniqueArray(fc.record({ port: fc.integer({ min: 80, max: 84 }), udp: fc.boolean() }), {
    maxLength: 2,
    selector: (p) => `${p.port}/${p.udp}`,
  }),
  owner: fc.constantFrom(undefined, 'rs-a', 'rs-b'),
  /** Bound up front to a node (by index), or pending. */
  boundTo: fc.option(fc.nat(), { nil: undefined }),
});

function requests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec.containers) {
    if (c.resources?.requests?.cpu !== undefined) cpu += cpuMillisOf(c.resources.requests.cpu);
    if (c.resources?.requests?.memory !== undefined) memory += memoryBytesOf(c.resources.requests.memory);
  }
  return { cpu, memory };
}

describe('scheduleBatch (property)', () => {
  it('never exceeds allocatable cpu, memory or pods, and never reuses a host port on a node', () => {
    const framework = createFramework();
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 8 }), fc.array(podArb, { maxLength: 40 }), fc.integer(), fc.integer({ min: 0, max: 20 }), (nodeSpecs, podSpecs, seed, start) => {
        const nodes = nodeSpecs.map((s, i) => makeNode(`n${i}`, { cpu: `${s.cpuMillis}m`, memory: `${s.memoryMi}Mi`, pods: s.pods }));
        const pods = podSpecs.map((s, i) =>
          makePod(`p${i}`, {
            ...(s.cpuMillis !== undefined ? { cpu: `${s.cpuMillis}m` } : {}),
            ...(s.memoryMi !== undefined ? { memory: `${s.memoryMi}Mi` } : {}),
            hostPorts: s.hostPorts.map((p) => ({ port: p.port, protocol: p.udp ? 'UDP' : 'TCP' })),
            ...(s.owner !== undefined ? { owner: s.owner } : {}),
          }),
        );
        // The bound pods go through the filters too (one at a time), so the start state is valid.
        const cache = cacheOf(nodes);
        const onNode = new Map<string, Pod[]>(nodes.map((n) => [n.metadata.name, []]));
        const pending: Pod[] = [];
        podSpecs.forEach((s, i) => {
          if (s.boundTo === undefined) pending.push(pods[i]!);
        });
        const pre = scheduleBatch(
          pods.filter((_, i) => podSpecs[i]!.boundTo !== undefined),
          cache,
          { framework, pick: seededPick(seed ^ 0x5bd1) },
          0,
        );
        for (const p of pre.placements) {
          const bound: Pod = { ...p.pod, spec: { ...p.pod.spec, nodeName: p.nodeName } };
          cache.upsertPod(bound); // confirmed
          onNode.get(p.nodeName)!.push(bound);
        }

        const result = scheduleBatch(pending, cache, { framework, pick: seededPick(seed), startNodeIndex: start }, 1);
        expect(result.placements.length + result.unschedulable.length + result.alreadyPlaced.length).toBe(pending.length);
        for (const p of result.placements) onNode.get(p.nodeName)!.push(p.pod);

        nodes.forEach((node, i) => {
          const spec = nodeSpecs[i]!;
          const here = onNode.get(node.metadata.name)!;
          const used = here.map(requests).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
          expect(here.length).toBeLessThanOrEqual(spec.pods);
          expect(used.cpu).toBeLessThanOrEqual(spec.cpuMillis);
          expect(used.memory).toBeLessThanOrEqual(spec.memoryMi * 2 ** 20);
          const ports = here.flatMap((pod) => pod.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => `${p.hostPort}/${p.protocol ?? 'TCP'}`)));
          expect(new Set(ports).size).toBe(ports.length);
        });
      }),
      { numRuns: 200 },
    );
  });
});
