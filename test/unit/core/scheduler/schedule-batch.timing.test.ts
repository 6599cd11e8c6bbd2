// A quick timing print (not an assertion: timed tests flake on a shared
// machine; `npm run bench` is where targets are checked): scheduleBatch with
// 1,000 nodes and 10,000 small pods.

import { describe, expect, it } from 'vitest';
import { createFramework, scheduleBatch } from '../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, seededPick } from './fixtures.js';

describe('scheduleBatch timing', () => {
  it('places 10,000 small pods on 1,000 nodes', () => {
    const framework = createFramework();
    const nodes = Array.from({ length: 1_000 }, (_, i) => makeNode(`node-${i}`, { cpu: '32', memory: '128Gi', pods: 110, labels: { zone: `z${i % 3}` } }));
    const report: string[] = [];
    for (const [label, owner] of [
      ['one ReplicaSet', 'rs-1'],
      ['no owner', undefined],
    ] as const) {
      const cache = cacheOf(nodes);
      const pods = Array.from({ length: 10_000 }, (_, i) =>
        makePod(`${label.replace(/ /g, '-').toLowerCase()}-${i}`, { cpu: '100m', memory: '128Mi', labels: { app: 'bench' }, ...(owner !== undefined ? { owner } : {}) }),
      );
      // Warm up the JIT on a separate cache, then time.
      scheduleBatch(pods.slice(0, 500), cacheOf(nodes.slice(0, 200)), { framework, pick: seededPick(9) }, 0);
      const t0 = performance.now();
      const result = scheduleBatch(pods, cache, { framework, pick: seededPick(1) }, 0);
      const ms = performance.now() - t0;
      expect(result.placements).toHaveLength(10_000);
      const perNode = new Map<string, number>();
      for (const p of result.placements) perNode.set(p.nodeName, (perNode.get(p.nodeName) ?? 0) + 1);
      const counts = [...perNode.values()];
      report.push(
        `${label}: ${((ms * 1000) / pods.length).toFixed(1)} µs/pod (${ms.toFixed(0)} ms, ${Math.round((pods.length / ms) * 1000)} pods/s); ` +
          `pods per node min ${Math.min(...counts)} max ${Math.max(...counts)} over ${perNode.size} nodes`,
      );
    }
    console.log(`scheduleBatch, 1,000 nodes x 10,000 pods:\n  ${report.join('\n  ')}`);
  });
});
