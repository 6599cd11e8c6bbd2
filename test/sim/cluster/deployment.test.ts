import { describe, expect, it } from 'vitest';
import { simulate, type Simulation } from '../../../actors/index.js';
import type { ApiObject, Deployment, Node, Pod } from '../../../core/api/index.js';
import type { ApiRequest, ListResult } from '../../../core/master/index.js';
import { IDS } from '../master/cluster.js';
import { hollowCluster, stored, type HollowCluster } from './hollow-cluster.js';

const deployment = (replicas: number): unknown => ({
  apiVersion: 'drover/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } },
  },
});

function caller(sim: Simulation, c: HollowCluster) {
  return async <T>(req: ApiRequest): Promise<T> => {
    const r = await sim.settle(c.api(IDS[0]!)<T>(req));
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
}

async function pods(call: ReturnType<typeof caller>): Promise<Pod[]> {
  return (await call<ListResult>({ type: 'list', kind: 'Pod', namespace: 'default' })).items as Pod[];
}

const storedPods = (c: HollowCluster) => stored<Pod>(c, '/registry/pods/default/');

const running = (ps: Pod[]) => ps.filter((p) => p.status?.phase === 'Running' && p.metadata.deletionTimestamp === undefined);

describe('a simulated cluster: 3 masters with the control plane, hollow nodes', () => {
  it('runs a deployment: the controllers make pods, the scheduler spreads them, the agents run them', async () => {
    await simulate({ seed: 21 }, async (sim) => {
      const c = await hollowCluster(sim, ['n1', 'n2', 'n3']);
      const call = caller(sim, c);
      await sim.runFor(2_000); // the nodes register
      expect((await call<ListResult>({ type: 'list', kind: 'Node' })).items.map((n) => n.metadata.name).sort()).toEqual(['n1', 'n2', 'n3']);
      await call<ApiObject>({ type: 'create', object: deployment(3) });
      await sim.runUntil(() => running(storedPods(c)).length === 3, 20_000);
      const ps = running(await pods(call));
      expect(ps).toHaveLength(3);
      // Spread across the nodes (owner spread).
      expect(new Set(ps.map((p) => p.spec.nodeName)).size).toBe(3);
      await sim.runUntil(() => stored<Deployment>(c, '/registry/deployments/')[0]?.status?.availableReplicas === 3, 10_000);
      const d = await call<Deployment>({ type: 'get', kind: 'Deployment', namespace: 'default', name: 'web' });
      expect(d.status?.availableReplicas).toBe(3);
      expect(d.metadata.annotations?.['deployment.drover.io/revision']).toBe('1');

      // Scale to 5, then down to 2.
      const current = await call<Deployment>({ type: 'get', kind: 'Deployment', namespace: 'default', name: 'web' });
      await call({ type: 'update', object: { ...current, spec: { ...current.spec, replicas: 5 } } });
      await sim.runUntil(() => running(storedPods(c)).length === 5, 20_000);
      const five = await call<Deployment>({ type: 'get', kind: 'Deployment', namespace: 'default', name: 'web' });
      await call({ type: 'update', object: { ...five, spec: { ...five.spec, replicas: 2 } } });
      await sim.runUntil(() => storedPods(c).length === 2, 30_000);
      expect(running(await pods(call))).toHaveLength(2);
    });
  });

  it('starts pods bound together in one entry at once: the watch keeps every event of a revision (no relist needed)', async () => {
    await simulate({ seed: 22 }, async (sim) => {
      // No relist within the test: only the watch can bring the pods.
      const c = await hollowCluster(sim, ['n1'], {}, { relistIntervalMs: 600_000 });
      const call = caller(sim, c);
      await sim.runFor(2_000); // n1 registers, lists (nothing yet) and watches
      const setCordon = async (unschedulable: boolean) => {
        const n = await call<Node>({ type: 'get', kind: 'Node', name: 'n1' });
        await call({ type: 'update', object: { ...n, spec: { ...n.spec, unschedulable } } });
      };
      // The pods wait for the node to be uncordoned, then one burst binds them at one revision.
      await setCordon(true);
      await call<ApiObject>({ type: 'create', object: deployment(8) });
      expect(await sim.runUntil(() => storedPods(c).length === 8, 5_000)).toBe(true);
      await sim.runFor(500);
      await setCordon(false);
      expect(await sim.runUntil(() => running(storedPods(c)).length === 8, 5_000)).toBe(true);
    });
  });
});
